package importer

// SetForeignChunk sets how many values the first pass names before it looks
// up other companies' (foreignChunk), and returns what puts it back.
func SetForeignChunk(n int) (restore func()) {
	old := foreignChunk
	foreignChunk = n
	return func() { foreignChunk = old }
}

// SetSlicePlanning sets the hook that hears each slice's planning start
// (slicePlanning) and returns the one it replaces.
func SetSlicePlanning(f func(k int)) func(k int) {
	old := slicePlanning
	slicePlanning = f
	return old
}
