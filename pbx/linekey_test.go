package pbx

import (
	"errors"
	"testing"
)

func TestSplitLineKey(t *testing.T) {
	mac, port, err := SplitLineKey("000b82aabb02/2")
	if err != nil || mac != "000b82aabb02" || port != 2 {
		t.Errorf("SplitLineKey = %q, %d, %v", mac, port, err)
	}
	for _, bad := range []string{"000b82aabb02", "/1", "000b82aabb02/x"} {
		if _, _, err := SplitLineKey(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("SplitLineKey(%q) error %v, want one wrapping ErrInvalid", bad, err)
		}
	}
}
