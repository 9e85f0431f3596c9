package coherev2

import "github.com/ociai/ociai-proxy/oci/core"

// Format is the COHEREV2 chat format, as package oci's format table hands it to the handler. Whether a COHEREV2
// stream sends usage after its finish event is unconfirmed, and waiting for one that never comes would delay the
// end of every stream: StreamUsage is false.
var Format = core.NewChat(Request, Completion, NewStream, false)
