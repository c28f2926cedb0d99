package validate

import "github.com/pbxsync/pbxsync/pbx"

// fx is the position of a roster field in pbx.Fields. The row check reads a
// row's texts from an array indexed by it: finding a field by its name is a
// string switch, and a row reads its fields some 35 times, which cost more
// than several of the rules together. TestFieldPositions holds the constants
// to pbx.Fields.
type fx uint8

const (
	xUserID fx = iota
	xFirstName
	xLastName
	xEmail
	xExtension
	xStationType
	xVoiceEnabled
	xCallerID
	xExternalID
	xSite
	xNumber
	xNumberLabel
	xSMS
	xOutboundOnly
	xMAC
	xModel
	xPort
	xLines
	xStreet
	xCity
	xRegion
	xPostal
	xCountry
	xStatus
	xExitDate
	xHuntGroups
	xTarget
	xSecondLine
)

// field is the roster field at position x.
func (x fx) field() pbx.Field { return pbx.Fields[x] }

// fxSet is a set of field positions, bit x for position x.
type fxSet uint64

func (s fxSet) has(x fx) bool { return s&(1<<x) != 0 }
