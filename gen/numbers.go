package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"

	"github.com/pbxsync/pbxsync/pbx"
)

// The number inventory is cut from blocks of 10,000 US numbers (one area
// code and exchange, +1 NPA NXX 0000-9999), in an order the seed shuffles.
const blockSize = 10_000

var areaCodes = []int{212, 213, 312, 415, 617, 646, 702, 713, 718, 805, 818, 917, 202, 303, 404, 503, 602, 206, 305, 512,
	614, 615, 704, 801, 916}

// numbering maps a global number index to its E.164 number.
type numbering struct {
	mu     sync.Mutex
	order  []int // shuffled candidate blocks: npa*1000 + nxx
	next   int   // next candidate to check
	blocks []int // checked blocks, in use order
}

var (
	numberingsMu sync.Mutex
	numberings   = map[uint64]*numbering{}
)

// numberingFor returns the (shared) numbering of a seed.
func numberingFor(seed uint64) *numbering {
	numberingsMu.Lock()
	defer numberingsMu.Unlock()
	if n, ok := numberings[seed]; ok {
		return n
	}
	var order []int
	for _, npa := range areaCodes {
		for nxx := 200; nxx <= 999; nxx++ {
			if nxx%100 == 11 || nxx == 555 || nxx == 950 || nxx == 958 || nxx == 959 || nxx == 976 {
				continue // N11 service codes and special exchanges
			}
			order = append(order, npa*1000+nxx)
		}
	}
	r := rand.New(rand.NewPCG(seed, streamBlocks))
	r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	n := &numbering{order: order}
	numberings[seed] = n
	return n
}

// capacity is how many numbers a numbering can hand out at most.
func (n *numbering) capacity() int { return len(n.order) * blockSize }

// block returns the b-th usable block, checking candidates with the same
// parser validation uses, so that every generated number is valid.
func (n *numbering) block(b int) (int, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for len(n.blocks) <= b {
		if n.next >= len(n.order) {
			return 0, fmt.Errorf("gen: out of numbers: at most %d", n.capacity())
		}
		cand := n.order[n.next]
		n.next++
		if _, err := pbx.ParseE164("+1"+strconv.Itoa(cand)+"0100", "US"); err == nil {
			n.blocks = append(n.blocks, cand)
		}
	}
	return n.blocks[b], nil
}

// at returns the number of global index g.
func (n *numbering) at(g int) (pbx.E164, error) {
	blk, err := n.block(g / blockSize)
	if err != nil {
		return "", err
	}
	return pbx.E164(fmt.Sprintf("+1%d%04d", blk, g%blockSize)), nil
}

// formatNumber writes an E.164 US number the way rosters do, in one of
// several forms chosen by h: "(415) 555-0101", "415-555-0102",
// "+1 415 555 0103", "415.555.0104", "+14155550105".
func formatNumber(e pbx.E164, h uint64) string {
	s := string(e)
	if len(s) != 12 || s[:2] != "+1" {
		return s
	}
	npa, nxx, line := s[2:5], s[5:8], s[8:]
	switch h % 5 {
	case 0:
		return "(" + npa + ") " + nxx + "-" + line
	case 1:
		return npa + "-" + nxx + "-" + line
	case 2:
		return "+1 " + npa + " " + nxx + " " + line
	case 3:
		return npa + "." + nxx + "." + line
	}
	return s
}

// formatMAC writes a MAC as device labels and spreadsheets do, in one of
// several forms chosen by h: 80:5E:C0:11:22:01, 805ec0112202,
// 805E.C011.2201, 80-5E-C0-11-22-01.
func formatMAC(m pbx.MAC, h uint64) string {
	s := string(m)
	if len(s) != 12 {
		return s
	}
	up := func(x string) string {
		b := []byte(x)
		for i, c := range b {
			if c >= 'a' && c <= 'f' {
				b[i] = c - 'a' + 'A'
			}
		}
		return string(b)
	}
	switch h % 4 {
	case 0:
		return up(s[0:2] + ":" + s[2:4] + ":" + s[4:6] + ":" + s[6:8] + ":" + s[8:10] + ":" + s[10:12])
	case 1:
		return s
	case 2:
		return up(s[0:4] + "." + s[4:8] + "." + s[8:12])
	}
	return up(s[0:2] + "-" + s[2:4] + "-" + s[4:6] + "-" + s[6:8] + "-" + s[8:10] + "-" + s[10:12])
}
