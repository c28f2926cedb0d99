package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// HintScientific is the hint for a number a spreadsheet showed in scientific notation.
const HintScientific = "Excel showed this number in scientific notation and may have rounded it: format the column as Text and re-enter"

// maxMemo bounds the Checker's memo of parsed numbers.
const maxMemo = 4096

type numberKey struct{ text, region string }

type parsedNumber struct {
	e164 pbx.E164
	f    *fault
}

// canonNumber returns the E.164 form of a number as the file gave it, parsed
// in the site's region, or what is wrong with it.
func canonNumber(text, region string) (pbx.E164, *fault) {
	if scientific(text) {
		return "", &fault{CodeNumberScientific,
			fmt.Errorf("%w: %q is in scientific notation", pbx.ErrNumber, text),
			fmt.Sprintf("number %q is in scientific notation", text),
			HintScientific}
	}
	e, err := pbx.ParseE164(text, region)
	if err != nil {
		if region == "" {
			region = "US"
		}
		return "", &fault{CodeNumberInvalid, err, err.Error(),
			fmt.Sprintf("write the number with its country code (+1 415 555 0100) or as dialled in region %s", region)}
	}
	return e, nil
}

// number is canonNumber through the fast path (see fastE164) and the
// Checker's memo: parsing a number is by far the costliest check, and rows
// often repeat one (a caller ID).
func (c *Checker) number(text, region string) (pbx.E164, *fault) {
	if e, ok := c.fast.fastE164(text, region); ok {
		return e, nil
	}
	k := numberKey{text, region}
	if p, ok := c.numbers[k]; ok {
		return p.e164, p.f
	}
	e, f := canonNumber(text, region)
	if c.numbers == nil {
		c.numbers = make(map[numberKey]parsedNumber)
	}
	if len(c.numbers) < maxMemo {
		c.numbers[k] = parsedNumber{e, f}
	}
	return e, f
}

// checkNumbers parses the assigned and the outbound-only numbers.
func (rc *rowCheck) checkNumbers() {
	rc.row.Numbers = rc.numberList(xNumber, rc.parts[0], true)
	rc.row.OutboundOnly = rc.numberList(xOutboundOnly, rc.parts[1], false)
	for _, e := range rc.row.OutboundOnly {
		if slices.Contains(rc.row.Numbers, e) {
			rc.ps.add(rc.cell(xOutboundOnly), CodeOutboundAssigned, string(e), pbx.ErrConflict,
				fmt.Sprintf("number %s is both assigned to the user and outbound-only", e),
				"list the number either as assigned (number) or as outbound-only, not both")
		}
	}
}

// numberList parses the values of number field f: its parts when the
// mapping split the cell, else its text.
func (rc *rowCheck) numberList(f fx, parts []string, assigned bool) []pbx.E164 {
	text, ok := rc.text(f)
	if assigned && text == "" && rc.c.Allocate.Numbers {
		rc.numbersGiven++
		rc.alloc().Number = true // --allocate numbers: a blank cell takes one from the pool
		return nil
	}
	if !ok {
		return nil
	}
	if parts == nil {
		parts = []string{text}
	}
	var out []pbx.E164
	if assigned {
		out = rc.blk.num[:0:1] // most rows have one number; a second one reallocates
	}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if assigned {
			rc.numbersGiven++
			if rc.autoNumber(f, p) { // alloc.go: "auto", "auto:650"
				continue
			}
		}
		e, flt := rc.c.number(p, rc.site.Region)
		if flt != nil {
			rc.ps.fault(rc.cell(f), p, flt)
			continue
		}
		if slices.Contains(out, e) {
			rc.ps.add(rc.cell(f), CodeNumberRepeated, p, pbx.ErrDuplicate,
				fmt.Sprintf("number %q (%s) is given twice on this row", p, e),
				"remove the repeated number")
			continue
		}
		if assigned && len(out) == 0 {
			rc.firstNumber = p
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil // no numbers, as for a row without the column
	}
	return out
}
