import assert from 'node:assert/strict';

/** The name of a thrown error by its category (the Node binding's classes). */
export function errorName(category) {
  return { plan: 'PlanError', input: 'InputError', calculation: 'CalculationError' }[category];
}

/** A thrown error (or its copy out of a page) must carry error.json's code and path. */
export function checkError(e, errorJson) {
  const want = JSON.parse(errorJson);
  assert.equal(e.name, errorName(e.category), 'name follows the category');
  assert.equal(e.code, want.code, `code (message: ${e.message})`);
  if (want.path !== null && want.path !== undefined) {
    assert.equal(e.path, want.path, `path (message: ${e.message})`);
  }
  assert.ok(['plan', 'input', 'calculation'].includes(e.category), `category ${e.category}`);
  assert.ok(Array.isArray(e.problems) && e.problems.length > 0, 'problems listed');
  assert.equal(e.problems[0].code, e.code);
}
