//go:build tools

// Keeps simd's command package in this module's build list, so `go mod tidy` records every module
// simd needs in go.sum. A main package cannot be imported; its command package can.
package tools

import _ "github.com/cosmos/ibc-go/v8/testing/simapp/simd/cmd"
