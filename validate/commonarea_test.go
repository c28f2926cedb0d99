package validate

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestCommonArea(t *testing.T) {
	lobby := kv{pbx.FNumber: "+1 415 555 5300", pbx.FNumberLabel: "Lobby", pbx.FMAC: "80:5E:C0:12:34:00", pbx.FModel: "Yealink T42G",
		pbx.FStreet: "1 Main St", pbx.FCity: "San Francisco", pbx.FRegion: "CA", pbx.FPostal: "94105", pbx.FCountry: "US"}
	r, ps := New(testState()).Row(mapped(3, lobby))
	wantClean(t, r, ps)
	if !r.CommonArea || r.User.ID != "" || len(r.Numbers) != 1 || r.Numbers[0] != "+14155555300" || r.NumberLabel != "Lobby" ||
		r.Device == nil || r.Device.MAC != "805ec0123400" || r.Device.Port != 1 || r.Location == nil {
		t.Errorf("the lobby phone's row is %+v (device %+v)", r, r.Device)
	}

	for name, changes := range map[string]kv{
		"auto":        {pbx.FNumber: "auto"},
		"two numbers": {pbx.FNumber: "+1 415 555 5300; +1 415 555 5301"},
	} {
		t.Run(name, func(t *testing.T) {
			m := mapped(3, with(lobby, changes))
			if name == "two numbers" {
				m = withParts(m, pbx.FNumber, "+1 415 555 5300", "+1 415 555 5301")
			}
			_, ps := New(testState()).Row(m)
			wantOne(t, ps, CodeCommonAreaNumber, pbx.ErrInvalid, 3, pbx.FNumber, changes[pbx.FNumber])
		})
	}
}
