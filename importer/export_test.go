package importer

// SetSlicePlanning sets the hook that hears each slice's planning start
// (slicePlanning) and returns the one it replaces.
func SetSlicePlanning(f func(k int)) func(k int) {
	old := slicePlanning
	slicePlanning = f
	return old
}
