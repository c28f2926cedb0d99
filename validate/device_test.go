package validate

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func deviceModel(r *pbx.Row) string { return r.Device.Model }
func devicePort(r *pbx.Row) string  { return strconv.Itoa(r.Device.Port) }
func deviceLines(r *pbx.Row) string { return strconv.Itoa(r.Device.Lines) }

// ata is the typical row with a Grandstream ATA instead of the desk phone.
var ata = kv{pbx.FMAC: "00:0b:82:00:00:01", pbx.FModel: "grandstream-ht802", pbx.FPort: "2"}

func TestDeviceModel(t *testing.T) {
	runField(t, pbx.FModel, nil, deviceModel, []fieldCase{
		{in: "yealink-t42g", want: "yealink-t42g"},
		{in: "Yealink T42G", want: "yealink-t42g"},
		{in: "YEALINK_T42G", want: "yealink-t42g"},
		{in: " yealink t-42g ", want: "yealink-t42g"},
		{in: "polycom vvx 410", code: CodeModelUnknown, err: pbx.ErrNotFound},
		{in: "", code: CodeModelMissing, err: pbx.ErrInvalid}, // a MAC without its model
	})
}

func TestDeviceWithoutModelColumn(t *testing.T) {
	r, ps := rowOf(t, kv{pbx.FModel: absent, pbx.FPort: "3"})
	wantClean(t, r, ps)
	if *r.Device != (pbx.RowDevice{MAC: "805ec0123456", Port: 3, Lines: 1}) {
		t.Errorf("device = %+v", r.Device)
	}
}

func TestDeviceMACMissing(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FMAC: ""})
	wantOne(t, ps, CodeDeviceMACMissing, pbx.ErrMAC, 7, pbx.FMAC, "")
	_, ps = rowOf(t, kv{pbx.FMAC: absent})
	wantOne(t, ps, CodeDeviceMACMissing, pbx.ErrMAC, 7, "", "")
}

func TestDevicePortPhone(t *testing.T) {
	runField(t, pbx.FPort, nil, devicePort, []fieldCase{
		{in: "", want: "1"},
		{in: "1", want: "1"},
		{in: "2", code: CodePortInvalid, err: pbx.ErrInvalid},
		{in: "0", code: CodePortInvalid, err: pbx.ErrInvalid},
		{in: "one", code: CodePortInvalid, err: pbx.ErrInvalid},
	})
}

func TestDevicePortATA(t *testing.T) {
	runField(t, pbx.FPort, ata, devicePort, []fieldCase{
		{in: "1", want: "1"},
		{in: "2", want: "2"},
		{in: "", code: CodePortMissing, err: pbx.ErrInvalid},
		{in: "3", code: CodePortInvalid, err: pbx.ErrInvalid},
		{in: "-1", code: CodePortInvalid, err: pbx.ErrInvalid},
	})
	_, ps := rowOf(t, with(ata, kv{pbx.FPort: absent}))
	p := wantOne(t, ps, CodePortMissing, pbx.ErrInvalid, 7, "", "")
	if !strings.Contains(p.Hint, "confirm which port") {
		t.Errorf("hint does not ask to confirm the port: %q", p.Hint)
	}
}

func TestDeviceLines(t *testing.T) {
	runField(t, pbx.FLines, nil, deviceLines, []fieldCase{
		{in: "", want: "1"},
		{in: "3", want: "3"},
		{in: "4", code: CodeLinesInvalid, err: pbx.ErrInvalid},
		{in: "0", code: CodeLinesInvalid, err: pbx.ErrInvalid},
		{in: "2.5", code: CodeLinesInvalid, err: pbx.ErrInvalid},
	})
	runField(t, pbx.FLines, ata, deviceLines, []fieldCase{
		{in: "1", want: "1"},
		{in: "2", code: CodeLinesInvalid, err: pbx.ErrInvalid},
	})
}

func TestDeviceVendor(t *testing.T) {
	for _, c := range []struct {
		mac, model string
		warn       bool
	}{
		{"80:5e:c0:00:00:01", "yealink-t42g", false},
		{"00:15:65:00:00:01", "yealink-t42g", false},
		{"C0:74:AD:00:00:01", "grandstream-ht802", false},
		{"00:0b:82:00:00:01", "yealink-t42g", true},
		{"00:04:f2:00:00:01", "grandstream-ht802", true},
	} {
		r, ps := rowOf(t, kv{pbx.FMAC: c.mac, pbx.FModel: c.model, pbx.FPort: "1"})
		if r == nil {
			t.Fatalf("%s %s: row dropped: %v", c.mac, c.model, ps)
		}
		if !c.warn {
			wantClean(t, r, ps)
			continue
		}
		p := wantOne(t, ps, CodeVendorMismatch, pbx.ErrMAC, 7, pbx.FMAC, c.mac)
		if p.Severity != pbx.SevWarning {
			t.Errorf("severity %s", p.Severity)
		}
	}
}
