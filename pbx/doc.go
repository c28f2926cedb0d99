// Package pbx holds the domain of pbxsync: the objects of a cloud PBX's live
// state (companies, sites, users, phone numbers, devices, E911 locations), the
// canonical forms of the values that identify them (user ID, E.164 number,
// extension, MAC address), the desired state one roster row asks for, and the
// problems found on the way. It imports nothing of pbxsync's own.
package pbx
