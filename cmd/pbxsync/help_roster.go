package main

// rosterReachHelp is what validate, plan and apply --help say of the user
// roster's columns that reach the rest of the PBX (hunt groups, routed
// numbers, second lines).
const rosterReachHelp = `
A user roster reaches the rest of the PBX: Hunt Groups (also Groups, Ring
Groups) lists the groups a user belongs to by id or name, several
separated by ";" (onboard adds the missing ones after each group's last
member; a sync also takes the user out of the others; a leaver leaves
them all); Target, on a row with a number and no user, routes the number
to a hunt group or an auto attendant (huntgroup:sales, autoattendant:main
or a name; a number taken from a user is shown as a move); Second Line
(also Line 2, Shared Line) puts another number on the user's phone as a
shared appearance: the user becomes its assigned member, the port gets
two line appearances. An unknown group or target is an error naming the
company's.
`
