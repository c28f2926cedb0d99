package mapping

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed profiles/*.yaml
var builtinFS embed.FS

// Builtins lists the names of the built-in profiles, sorted.
func Builtins() []string {
	entries, err := fs.ReadDir(builtinFS, "profiles")
	if err != nil {
		panic("mapping: embedded profiles: " + err.Error()) // the embed pattern guarantees the folder
	}
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
	}
	sort.Strings(names)
	return names
}

// Builtin returns a fresh copy of the built-in profile name (see Builtins);
// the caller may change it.
func Builtin(name string) (*Profile, error) {
	data, err := builtinFS.ReadFile("profiles/" + name + ".yaml")
	if err != nil {
		return nil, &ProfileError{Profile: name, Msg: fmt.Sprintf("no built-in profile %q; the built-in profiles are %s", name, strings.Join(Builtins(), ", "))}
	}
	return Parse(name, data)
}

// BuiltinSource returns the text of a built-in profile, comments included,
// as a starting point for a profile of one's own.
func BuiltinSource(name string) ([]byte, error) {
	if _, err := Builtin(name); err != nil {
		return nil, err
	}
	return builtinFS.ReadFile("profiles/" + name + ".yaml")
}
