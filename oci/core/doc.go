// Package core is what the OCI format packages (generic, cohere, coherev2, embed) share, so that none of them
// borrows from another: the request envelope and serving mode, the checks and mappings every format applies alike
// (sampling ranges, output limits, response_format, tool_choice, tools, dropped parameters), OCI usage, finish
// reasons and in-band errors, the pieces both Cohere formats use, and the Assembler that turns the stream events of
// any format into hub chunks. Chat and Stream are what each chat format offers the handler.
//
// Everything here is a pure function over wire types: no HTTP, files, environment or logging.
package core
