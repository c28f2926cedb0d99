// Package validate decides what part of a roster may reach the planner. It
// applies the field rules (canonicalising each value as it checks it), the
// row rules, the cross-row rules of a whole roster and the rules that need the
// live state, and reports every problem it finds at once, each at its cell
// with a stable code and a hint on how to fix it.
package validate
