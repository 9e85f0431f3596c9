package ocisim

// ActiveStreams reports streams still being written (tests prove that a
// client disconnect ends them).
func (s *Simulator) ActiveStreams() int64 { return s.activeStreams.Load() }
