/**
 * Names for a synthetic authority, so that a person exploring the demo sees people, teams and services rather than
 * ids: each member of staff gets a name and an email address, each team a name and a service. Deterministic for a
 * given seed, and the ids are kept, so tests and benchmarks that use the bare facts are unaffected. Pure: no I/O.
 */
import { prng, type SyntheticFacts } from './authority.ts';

const FIRST = [
  'Aisha',
  'Ben',
  'Chloe',
  'Daniel',
  'Ella',
  'Farid',
  'Grace',
  'Harry',
  'Isla',
  'Jack',
  'Kiran',
  'Laura',
  'Mohammed',
  'Niamh',
  'Oliver',
  'Priya',
  'Rhys',
  'Sophie',
  'Tom',
  'Uma',
  'Victoria',
  'Wei',
  'Yusuf',
  'Zara',
  'Amelia',
  'Callum',
  'Deborah',
  'Emeka',
  'Fiona',
  'Gareth',
  'Hannah',
  'Imran',
  'Joanne',
  'Kwame',
  'Leah',
  'Marcus',
  'Nadia',
  'Owen',
  'Paula',
  'Rachel',
  'Sanjay',
  'Tanya',
  'Vikram',
  'Wendy',
];
const LAST = [
  'Ahmed',
  'Baker',
  'Clarke',
  'Davies',
  'Evans',
  'Fletcher',
  'Green',
  'Hughes',
  'Iqbal',
  'Jones',
  'Khan',
  'Lewis',
  'Morgan',
  'Nowak',
  'Okafor',
  'Patel',
  'Quinn',
  'Roberts',
  'Singh',
  'Taylor',
  'Underwood',
  'Walker',
  'Young',
  'Zielinski',
  'Begum',
  'Campbell',
  'Edwards',
  'Francis',
  'Hall',
  'Jackson',
  'Kaur',
  'Mensah',
  'Nguyen',
  'Owusu',
  'Price',
  'Rahman',
  'Shah',
  'Thomas',
  'Ward',
  'Wright',
];
const AREAS = [
  'North',
  'South',
  'East',
  'West',
  'Central',
  'Riverside',
  'Hillside',
  'Valley',
  'Coastal',
  'Forest',
  'Market',
  'Harbour',
  'Moor',
  'Vale',
  'Bridge',
  'Abbey',
  'Castle',
  'Meadow',
  'Park',
  'Wharf',
];
const TEAM_KINDS = ['Assessment', 'Safeguarding', 'Children in Care', 'Family Support', 'Child Protection'];
const SERVICES = [
  'Children in Need and Child Protection',
  'Children in Care and Care Leavers',
  'Early Help and Family Support',
  'Assessment and Intervention',
  'Disabled Children',
  'Fostering and Adoption',
];

export type NamedFacts = Omit<SyntheticFacts, 'teams' | 'staff'> & {
  teams: Array<SyntheticFacts['teams'][number] & { service: string }>;
  staff: Array<SyntheticFacts['staff'][number] & { name: string; email: string }>;
};

/** The local part of an email address made from a name: "Niamh O'Neil" is niamh.oneil. */
function localPart(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '.');
}

/**
 * Gives every member of staff a distinct name and email address at `domain`, every team a name, and groups the
 * teams into services (about eight teams to a service).
 */
export function nameAuthority(facts: SyntheticFacts, domain: string, seed = 42): NamedFacts {
  const rnd = prng(seed ^ 0x5eed);
  const used = new Set<string>();
  const staff = facts.staff.map((s) => {
    let name: string;
    for (let tries = 0; ; tries++) {
      const first = FIRST[Math.floor(rnd() * FIRST.length)]!;
      const last = LAST[Math.floor(rnd() * LAST.length)]!;
      // after a few clashes, a middle initial keeps every name (and so every email address) distinct
      name = tries < 5 ? `${first} ${last}` : `${first} ${String.fromCharCode(65 + (tries % 26))} ${last}`;
      if (tries > 30) name = `${first} ${last} ${s.id}`;
      if (!used.has(localPart(name))) break;
    }
    used.add(localPart(name));
    return { ...s, name, email: `${localPart(name)}@${domain}` };
  });
  const serviceCount = Math.max(1, Math.min(SERVICES.length * 4, Math.round(facts.teams.length / 8)));
  const teams = facts.teams.map((t, i) => {
    const area = AREAS[i % AREAS.length]!;
    const round = Math.floor(i / AREAS.length);
    const kind = TEAM_KINDS[(i + round) % TEAM_KINDS.length]!;
    const s = i % serviceCount;
    const service =
      s < SERVICES.length ? SERVICES[s]! : `${SERVICES[s % SERVICES.length]!} ${Math.floor(s / SERVICES.length) + 1}`;
    return { ...t, name: `${area} ${kind}${round > 0 ? ` ${round + 1}` : ''}`, service };
  });
  return { ...facts, teams, staff };
}
