// Package gen makes realistic test data for pbxsync, deterministically from a
// seed: a live state of many companies (sites, E911 locations, the device
// catalogue, number inventory, users with their numbers, desk phones and
// lines) written into either store fast, and rosters (CSV or XLSX) for one
// company of that state with a chosen share of new users, changed users,
// leavers, number moves and mistakes.
//
// The same Spec and seed always give the same state; the same live state,
// RosterSpec and seed always give the same roster. A roster is made from
// the live state as a store loads it, so it fits whatever is in the store,
// including users and devices earlier rosters created.
package gen
