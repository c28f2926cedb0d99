package validate

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestFieldPositions(t *testing.T) {
	want := map[fx]pbx.Field{
		xUserID: pbx.FUserID, xFirstName: pbx.FFirstName, xLastName: pbx.FLastName, xEmail: pbx.FEmail,
		xExtension: pbx.FExtension, xStationType: pbx.FStationType, xVoiceEnabled: pbx.FVoiceEnabled,
		xCallerID: pbx.FCallerID, xExternalID: pbx.FExternalID, xSite: pbx.FSite, xNumber: pbx.FNumber,
		xNumberLabel: pbx.FNumberLabel, xSMS: pbx.FSMS, xOutboundOnly: pbx.FOutboundOnly, xMAC: pbx.FMAC,
		xModel: pbx.FModel, xPort: pbx.FPort, xLines: pbx.FLines, xStreet: pbx.FStreet, xCity: pbx.FCity,
		xRegion: pbx.FRegion, xPostal: pbx.FPostal, xCountry: pbx.FCountry,
		xStatus: pbx.FStatus, xExitDate: pbx.FExitDate, xHuntGroups: pbx.FHuntGroups, xTarget: pbx.FTarget, xSecondLine: pbx.FSecondLine,
	}
	if len(want) != pbx.NumFields || len(pbx.Fields) != pbx.NumFields {
		t.Fatalf("%d positions for %d fields (pbx.Fields has %d)", len(want), pbx.NumFields, len(pbx.Fields))
	}
	for x, f := range want {
		if got := x.field(); got != f {
			t.Errorf("position %d is %q, want %q", x, got, f)
		}
		if i, ok := pbx.FieldIndex(f); !ok || i != int(x) {
			t.Errorf("pbx.FieldIndex(%q) = %d, %v; want %d", f, i, ok, x)
		}
	}
}
