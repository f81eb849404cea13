import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findIdentifying, isNhsNumber } from './identifying.ts';

describe('what identifies a child in professional notes', () => {
  test('NHS numbers are recognised by their check digit', () => {
    assert.equal(isNhsNumber('9434765919'), true);
    assert.equal(isNhsNumber('9434765918'), false);
    assert.equal(isNhsNumber('123456789'), false);
  });

  test('names of known children, whole words and any case; first and last name alone too', () => {
    const found = findIdentifying('Discussed jamie lee SMITH and Jamie Smith; Jamieson was mentioned.', [
      'Jamie Lee Smith',
      'Ali',
    ]);
    assert.deepEqual(
      found.map((f) => [f.kind, f.text]),
      [
        ['name', 'jamie lee SMITH'],
        ['name', 'Jamie Smith'],
      ],
    );
  });

  test('dates of birth, NHS numbers and postcodes; ID numbers and meeting dates are fine', () => {
    const text =
      'C1001 discussed on 12/03/2026. DOB 01/02/2015, born 3 May 2014. NHS 943 476 5919, also 9434765918. Lives at GL1 2AB.';
    assert.deepEqual(
      findIdentifying(text, []).map((f) => [f.kind, f.text]),
      [
        ['date-of-birth', 'DOB 01/02/2015'],
        ['date-of-birth', 'born 3 May 2014'],
        ['nhs-number', '943 476 5919'],
        ['postcode', 'GL1 2AB'],
      ],
    );
  });
});
