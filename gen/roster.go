package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// RosterSpec describes a generated roster for one company. The shares are
// fractions of Rows: New rows are new users (each given a number from the
// company's pool, a new desk phone and an extension); Changes rows change one
// field of an existing user (last name, first name, station type or
// extension); Moves is the count of numbers moved from one user to another,
// each taking two rows (the giver gets a pool number, the receiver the
// giver's number); Mistakes rows are new users with one invalid value;
// Leavers of the company's users are left off. Every other row names an
// existing user exactly as the live state has them.
type RosterSpec struct {
	Company  string
	Rows     int
	New      float64
	Changes  float64
	Leavers  float64
	Moves    float64
	Mistakes float64
	Seed     uint64
	// Auto writes "auto:NPA" (the area code of the number the row would
	// give) and "auto" in the number and extension cells of the new users'
	// rows, which then take them from the company's pool.
	Auto bool
}

// Check reports what is wrong with a roster spec, in flag words.
func (r RosterSpec) Check() error {
	if r.Rows < 1 {
		return fmt.Errorf("--rows %d: give at least 1", r.Rows)
	}
	for _, s := range []struct {
		name string
		v    float64
	}{{"--new", r.New}, {"--changes", r.Changes}, {"--leavers", r.Leavers}, {"--moves", r.Moves}, {"--mistakes", r.Mistakes}} {
		if s.v < 0 || s.v > 1 || math.IsNaN(s.v) {
			return fmt.Errorf("%s %g: give a share from 0 to 1", s.name, s.v)
		}
	}
	if sum := r.New + r.Changes + 2*r.Moves + r.Mistakes; sum > 1+1e-9 {
		return fmt.Errorf("--new + --changes + 2 x --moves + --mistakes is %.3g, more than 1 (a move takes two rows)", sum)
	}
	return nil
}

// Expect is what a generated roster holds, so that a test or a benchmark
// can check what the pipeline made of it.
type Expect struct {
	Rows      int `json:"rows"`      // data rows
	New       int `json:"new"`       // valid rows of new users
	Changed   int `json:"changed"`   // existing users with one changed field
	Moves     int `json:"moves"`     // numbers moved between two users of the roster
	Unchanged int `json:"unchanged"` // existing users exactly as they are
	Mistakes  int `json:"mistakes"`  // rows with one invalid value
	Leavers   int `json:"leavers"`   // users left off on purpose
	Absent    int `json:"absent"`    // active users of the company the roster does not name: the leavers of a sync
}

// Header is the roster's header row: pbxsync template names, as
// samples/demo/onboarding.csv has them.
var Header = []string{"First Name", "Last Name", "Email", "User ID", "Phone Number", "Extension", "Station Type",
	"Site Code", "Phone Model", "MAC Address", "Port", "E911 Street", "E911 City", "E911 State", "E911 Postal Code",
	"E911 Country", "Employee ID"}

type rowKind uint8

const (
	kindNew rowKind = iota
	kindChanged
	kindUnchanged
	kindGiver
	kindReceiver
	kindMistake
)

// Mistakes a generated roster makes, one per mistaken row, in turn.
const (
	mistakeMulticastMAC = iota
	mistakeShortNumber
	mistakeUnknownModel
	mistakeEmail
	mistakeScientific
	mistakeLeadingZeros
	mistakePostal
	mistakeStation
	mistakeKinds
)

// rosterRow is one row, resolved to its values.
type rosterRow struct {
	kind    rowKind
	variant int
	h       uint64 // chooses the written forms of numbers and MACs
	first   string
	last    string
	email   string
	id      pbx.UserID
	numbers []pbx.E164
	ext     pbx.Extension
	station string
	site    string
	model   string
	mac     pbx.MAC
	port    int
	addr    pbx.Address
	extID   string
}

// Roster is a generated roster: Header and Len rows, rendered by Record.
type Roster struct {
	Expect Expect
	rows   []rosterRow
	auto   bool // RosterSpec.Auto
}

// Len is the number of data rows.
func (r *Roster) Len() int { return len(r.rows) }

// live is what the generator needs to know about one existing user.
type live struct {
	u       *pbx.User
	numbers []pbx.E164
	line    *pbx.DeviceLine
	device  *pbx.Device
	addr    pbx.Address
}

// NewRoster makes a roster for st's company. st is the company's live state
// as a store loads it. slot and slots place the company among the store's
// companies (its index in the sorted list, and their count): the MACs of new
// phones are drawn from the company's own slot, so rosters of different
// companies never give two phones one MAC.
func NewRoster(st *pbx.State, slot, slots int, spec RosterSpec) (*Roster, error) {
	if err := spec.Check(); err != nil {
		return nil, err
	}
	own := st.Company.ID
	g := &rosterGen{st: st, spec: spec, domain: own + ".example"}
	if err := g.index(); err != nil {
		return nil, err
	}
	n := spec.Rows
	nNew := roundShare(n, spec.New)
	nMist := roundShare(n, spec.Mistakes)
	nMoves := roundShare(n, spec.Moves)
	nChg := roundShare(n, spec.Changes)
	nLeave := roundShare(n, spec.Leavers)
	existing := n - nNew - nMist
	if existing < 2*nMoves+nChg {
		return nil, fmt.Errorf("%d rows leave %d for existing users, fewer than the %d changes and %d moves (2 rows each) need: lower the shares",
			n, existing, nChg, nMoves)
	}
	if need := existing + nLeave; len(g.eligible) < need {
		return nil, fmt.Errorf("company %s has %d active users with a number, an E911 location and a desk phone; the roster needs %d on it and %d left off: "+
			"give fewer --rows or a larger --new share, or generate a state with more users per company", own, len(g.eligible), existing, nLeave)
	}
	if need := nNew + nMist + nMoves; len(g.pool) < need {
		return nil, fmt.Errorf("company %s has %d free numbers in its pool; the roster needs %d (new users, mistakes and moves): "+
			"generate the state with a larger --site-pool, or give fewer rows", own, len(g.pool), need)
	}
	width := (1 << 24) / max(slots, 1)
	g.macBase, g.macWidth = slot*width, width

	r := rand.New(rand.NewPCG(spec.Seed, streamRoster^mix(hashString(own))))
	users := g.eligible
	r.Shuffle(len(users), func(i, j int) { users[i], users[j] = users[j], users[i] })
	onRoster := users[nLeave : nLeave+existing]

	rows := make([]rosterRow, 0, n)
	for i := range nMoves {
		giver, receiver := onRoster[2*i], onRoster[2*i+1]
		gr := g.existingRow(giver, kindGiver)
		gr.numbers = []pbx.E164{g.takePool()}
		rr := g.existingRow(receiver, kindReceiver)
		rr.numbers = []pbx.E164{giver.numbers[0]}
		rows = append(rows, gr, rr)
	}
	for i, l := range onRoster[2*nMoves : 2*nMoves+nChg] {
		row := g.existingRow(l, kindChanged)
		row.variant = i % 4
		if err := g.change(&row); err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	for _, l := range onRoster[2*nMoves+nChg:] {
		rows = append(rows, g.existingRow(l, kindUnchanged))
	}
	for i := range nNew + nMist {
		row, err := g.newRow()
		if err != nil {
			return nil, err
		}
		if i >= nNew {
			row.kind, row.variant = kindMistake, (i-nNew)%mistakeKinds
		}
		rows = append(rows, row)
	}
	r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	return &Roster{
		rows: rows, auto: g.spec.Auto,
		Expect: Expect{Rows: n, New: nNew, Changed: nChg, Moves: nMoves, Unchanged: existing - 2*nMoves - nChg,
			Mistakes: nMist, Leavers: nLeave, Absent: g.active - existing},
	}, nil
}

func roundShare(n int, share float64) int { return int(math.Round(float64(n) * share)) }

func hashString(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// rosterGen holds what making one roster needs: the live users that can be
// named unchanged, the pool, and what is taken (logins, e-mails, extensions, MACs).
type rosterGen struct {
	st       *pbx.State
	spec     RosterSpec
	domain   string
	active   int
	eligible []*live
	pool     []pbx.E164
	nextPool int
	nextUser int
	nextExt  int
	exts     map[pbx.Extension]bool
	emails   map[string]bool
	macBase  int
	macWidth int
	macNext  map[string]int // per OUI
}

// index finds the company's active users that a roster can name exactly as
// they are (voice on, an extension and e-mail, numbers with E911 locations,
// one line of one line appearance on a catalogue phone carrying their first
// number), and the free numbers of its pool.
func (g *rosterGen) index() error {
	st, own := g.st, g.st.Company.ID
	g.exts = map[pbx.Extension]bool{}
	g.emails = map[string]bool{}
	g.macNext = map[string]int{}
	byUser := map[pbx.UserID][]pbx.E164{}
	for e, n := range st.Numbers {
		if n.Company != own {
			continue
		}
		if u := n.Target.User(); u != "" {
			byUser[u] = append(byUser[u], e)
		} else if n.Target == "" {
			g.pool = append(g.pool, e)
		}
	}
	sort.Slice(g.pool, func(i, j int) bool { return g.pool[i] < g.pool[j] })
	lineOf := map[pbx.UserID]*pbx.DeviceLine{}
	for _, l := range st.Lines {
		if l.User == "" {
			continue
		}
		if o, ok := lineOf[l.User]; !ok || pbx.LineKey(l.MAC, l.Port) < pbx.LineKey(o.MAC, o.Port) {
			lineOf[l.User] = l
		}
	}
	for id, u := range st.Users {
		if u.Company != own {
			continue
		}
		g.nextUser++
		g.exts[u.Extension] = true
		g.emails[strings.ToLower(u.Email)] = true
		if u.Status != pbx.StatusActive {
			continue
		}
		g.active++
		nums := byUser[id]
		sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
		l := lineOf[id]
		if !u.VoiceEnabled || u.Extension == "" || u.Email == "" || len(nums) == 0 || l == nil || l.Lines != 1 || l.Number != nums[0] {
			continue
		}
		d := st.Devices[l.MAC]
		if d == nil || st.Models[d.Model] == nil {
			continue
		}
		loc := st.Locations[st.Numbers[nums[0]].Location]
		if loc == nil {
			continue
		}
		ok := true
		for _, e := range nums[1:] {
			ok = ok && st.Numbers[e].Location == loc.ID
		}
		if ok {
			g.eligible = append(g.eligible, &live{u: u, numbers: nums, line: l, device: d, addr: loc.Address})
		}
	}
	sort.Slice(g.eligible, func(i, j int) bool { return g.eligible[i].u.ID < g.eligible[j].u.ID })
	for _, m := range catalogue[:4] {
		if st.Models[m.Name] == nil {
			return fmt.Errorf("company %s's catalogue has no model %s: generate the state with `pbxsync gen state`", own, m.Name)
		}
	}
	return nil
}

// existingRow names a live user as the live state has them.
func (g *rosterGen) existingRow(l *live, kind rowKind) rosterRow {
	u := l.u
	return rosterRow{
		kind: kind, h: mix(hashString(string(u.ID)) ^ g.spec.Seed),
		first: u.FirstName, last: u.LastName, email: u.Email, id: u.ID, numbers: l.numbers,
		ext: u.Extension, station: u.StationType, site: u.Site, model: l.device.Model, mac: l.device.MAC,
		port: l.line.Port, addr: l.addr, extID: u.ExternalID,
	}
}

// change changes one field of an existing user's row.
func (g *rosterGen) change(row *rosterRow) error {
	switch row.variant {
	case 0:
		other := lastNames[row.h%uint64(len(lastNames))]
		if other == row.last {
			other = lastNames[(row.h+1)%uint64(len(lastNames))]
		}
		row.last += "-" + other
	case 1:
		if row.station == "premium" {
			row.station = "standard"
		} else {
			row.station = "premium"
		}
	case 2:
		ext, err := g.takeExt()
		if err != nil {
			return err
		}
		row.ext = ext
	default:
		other := firstNames[row.h%uint64(len(firstNames))]
		if other == row.first {
			other = firstNames[(row.h+1)%uint64(len(firstNames))]
		}
		row.first = other
	}
	return nil
}

// newRow makes the row of a new user: a login, e-mail and extension nobody
// has, a pool number, a new desk phone.
func (g *rosterGen) newRow() (rosterRow, error) {
	var row rosterRow
	for {
		k := g.nextUser
		g.nextUser++
		h := hash2(g.spec.Seed, streamRoster, k)
		first, last, id, email := userName(h, k, g.domain)
		if g.st.Users[id] != nil || g.emails[email] {
			continue
		}
		g.emails[email] = true
		site := siteOf(h >> 32)
		code := site.code
		if g.st.Sites[code] == nil {
			code = ""
		}
		model, mac, err := g.takeModelMAC(modelOf(h >> 48))
		if err != nil {
			return row, err
		}
		row = rosterRow{kind: kindNew, h: h, first: first, last: last, email: email, id: id, site: code,
			station: stationOf(h >> 40), model: model.Name, port: 1, addr: site.addr, extID: externalIDOf(k), mac: mac}
		break
	}
	ext, err := g.takeExt()
	if err != nil {
		return row, err
	}
	row.ext = ext
	row.numbers = []pbx.E164{g.takePool()}
	return row, nil
}

func (g *rosterGen) takePool() pbx.E164 {
	e := g.pool[g.nextPool]
	g.nextPool++
	return e
}

// takeExt returns the next free 7-digit extension.
func (g *rosterGen) takeExt() (pbx.Extension, error) {
	for ; g.nextExt < maxCompanyUsers; g.nextExt++ {
		if e := extensionOf(g.nextExt); !g.exts[e] {
			g.exts[e] = true
			g.nextExt++
			return e, nil
		}
	}
	return "", fmt.Errorf("company %s has no free extension left in 1000000-8999999", g.st.Company.ID)
}

// takeModelMAC returns a MAC for a new phone of model, or when model's slot
// of MACs is used up (a company of a million generated users), of the next
// desk phone of the catalogue that has MACs left.
func (g *rosterGen) takeModelMAC(model *pbx.DeviceModel) (*pbx.DeviceModel, pbx.MAC, error) {
	mac, err := g.takeMAC(model.OUIs[1])
	if err == nil {
		return model, mac, nil
	}
	for i := range catalogue {
		m := &catalogue[i]
		if m.Kind != model.Kind || m.Ports != model.Ports {
			continue
		}
		if mac, merr := g.takeMAC(m.OUIs[1]); merr == nil {
			return m, mac, nil
		}
	}
	return model, "", err
}

// takeMAC returns the next MAC of the company's slot under oui that no
// device has yet.
func (g *rosterGen) takeMAC(oui string) (pbx.MAC, error) {
	for n := g.macNext[oui]; n < g.macWidth; n++ {
		m := macOf(oui, g.macBase+n)
		if g.st.Devices[m] == nil {
			g.macNext[oui] = n + 1
			return m, nil
		}
	}
	return "", fmt.Errorf("company %s has used up its %d MACs under %s for generated phones", g.st.Company.ID, g.macWidth, oui)
}

// Record renders the i-th data row in Header's order.
func (r *Roster) Record(i int) []string {
	x := &r.rows[i]
	nums := make([]string, len(x.numbers))
	for j, e := range x.numbers {
		nums[j] = formatNumber(e, x.h>>8+uint64(j))
	}
	rec := []string{x.first, x.last, x.email, string(x.id), strings.Join(nums, "; "), string(x.ext), displayStation(x.station),
		x.site, displayModel(x.model), formatMAC(x.mac, x.h>>16), fmt.Sprint(x.port),
		x.addr.Street, x.addr.City, x.addr.Region, x.addr.Postal, x.addr.Country, x.extID}
	if x.kind == kindMistake {
		mistake(rec, x)
	}
	if x.kind == kindNew && r.auto { // the area code of the number it would give: the state's pools are not by site
		rec[4], rec[5] = "auto", "auto"
		if e := string(x.numbers[0]); strings.HasPrefix(e, "+1") && len(e) == 12 {
			rec[4] = "auto:" + e[2:5]
		}
	}
	return rec
}

// mistake puts the row's one invalid value into rec.
func mistake(rec []string, x *rosterRow) {
	const (
		colEmail  = 2
		colNumber = 4
		colExt    = 5
		colStat   = 6
		colModel  = 8
		colMAC    = 9
		colPostal = 14
	)
	switch x.variant {
	case mistakeMulticastMAC:
		rec[colMAC] = fmt.Sprintf("01:00:5E:%02X:%02X:%02X", x.h&0xff, x.h>>8&0xff, x.h>>16&0xff)
	case mistakeShortNumber:
		rec[colNumber] = "415 555 01"
	case mistakeUnknownModel:
		rec[colModel] = "Yealink T99"
	case mistakeEmail:
		rec[colEmail] = strings.TrimSuffix(x.email, x.id.Domain())
	case mistakeScientific:
		rec[colNumber] = "4.15556E+09"
	case mistakeLeadingZeros:
		rec[colExt] = "4021"
	case mistakePostal:
		rec[colPostal] = "9410"
	case mistakeStation:
		rec[colStat] = "Platinum"
	}
}

// displayStation writes a station type as people do: "Premium", "Common Area".
func displayStation(s string) string {
	parts := strings.Split(s, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, " ")
}
