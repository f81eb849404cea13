/**
 * Professional supervision notes must not identify children or their families (seed 003 s.3.1, seed 000 s.9: "Names
 * or personal details of children and their families will not be recorded in professional supervision notes. However
 * ID numbers may be used."). This finds what looks identifying in a text, for the supervisor to remove or to confirm
 * is not identifying: the names of children known to Supervise, dates of birth, NHS numbers and postcodes. Pure.
 */

export type FindingKind = 'name' | 'date-of-birth' | 'nhs-number' | 'postcode';

export interface Finding {
  kind: FindingKind;
  /** The text as written. */
  text: string;
}

export const FINDING_LABEL: Record<FindingKind, string> = {
  name: 'the name of a child known to Supervise',
  'date-of-birth': 'what looks like a date of birth',
  'nhs-number': 'what looks like an NHS number',
  postcode: 'what looks like a postcode',
};

/** A valid NHS number: 10 digits whose check digit (modulus 11) is right. */
export function isNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

const NHS = /\b(\d{3})[ -]?(\d{3})[ -]?(\d{4})\b/g;
const POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b/gi;
const DATE = String.raw`(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4})`;
const DOB = new RegExp(String.raw`\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*:?\s*${DATE}`, 'gi');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What looks identifying in `text`. `childNames` are the names of children known to Supervise: a full name, and
 * its first and last word together, are looked for as whole words, whatever their case.
 */
export function findIdentifying(text: string, childNames: readonly string[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const add = (kind: FindingKind, found: string) => {
    const key = `${kind}|${found.toLowerCase()}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ kind, text: found });
    }
  };
  for (const full of childNames) {
    const words = full.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const forms = new Set([words.join(' ')]);
    if (words.length > 2) forms.add(`${words[0]} ${words[words.length - 1]}`);
    for (const form of forms) {
      // a single given name alone ("Sam") is too common to flag; two words or more are a name
      if (!form.includes(' ')) continue;
      const re = new RegExp(`(?<![\\p{L}])${escapeRegExp(form).replace(/ /g, '\\s+')}(?![\\p{L}])`, 'giu');
      for (const m of text.matchAll(re)) add('name', m[0]);
    }
  }
  for (const m of text.matchAll(DOB)) add('date-of-birth', m[0]);
  for (const m of text.matchAll(NHS)) if (isNhsNumber(`${m[1]}${m[2]}${m[3]}`)) add('nhs-number', m[0]);
  for (const m of text.matchAll(POSTCODE)) add('postcode', m[0]);
  return out;
}
