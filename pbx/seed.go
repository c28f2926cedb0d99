package pbx

// Seed is a company's starting state: what `pbxsync init --seed` loads before
// any roster is applied (its sites, number inventory, device catalogue, and
// whatever users, devices, hunt groups and auto attendants exist already).
type Seed struct {
	Company   Company
	Sites     []Site
	Models    []DeviceModel
	Locations []Location
	Hunts     []HuntGroup
	AAs       []AutoAttendant
	Users     []User
	Numbers   []Number
	Members   []Member
	Devices   []Device
	Lines     []DeviceLine
}
