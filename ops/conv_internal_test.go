package ops

import (
	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
)

// Every op of conv.go and pool.go runs natively in Descent's executor, and
// every forward op differentiates symbolically.
var (
	_ graph.Native = (*convOp)(nil)
	_ graph.Native = (*convDataOp)(nil)
	_ graph.Native = (*convFilterOp)(nil)
	_ graph.Native = (*channelBiasOp)(nil)
	_ graph.Native = (*channelSumOp)(nil)
	_ graph.Native = (*poolOp)(nil)
	_ graph.Native = (*maxPoolGradOp)(nil)
	_ graph.Native = (*avgPoolGradOp)(nil)
	_ graph.Native = (*globalAvgOp)(nil)

	_ G.SDOp = (*convOp)(nil)
	_ G.SDOp = (*channelBiasOp)(nil)
	_ G.SDOp = (*poolOp)(nil)
	_ G.SDOp = (*globalAvgOp)(nil)

	_ G.Op = (*convDataOp)(nil)
	_ G.Op = (*convFilterOp)(nil)
	_ G.Op = (*channelSumOp)(nil)
	_ G.Op = (*maxPoolGradOp)(nil)
	_ G.Op = (*avgPoolGradOp)(nil)

	_ native = (*convOp)(nil)
)
