// Package nn holds Descent's neural-network layers and the way they
// compose.
//
// A Module builds its part of a Gorgonia graph from an input node, and
// declares its parameters through the graph.Scope where it uses them:
//
//	w, err := s.Param("weight", []int{out, in}, nn.KaimingUniform(in))
//
// The engine finds every parameter by building the graph once, so a name
// is written exactly once. Names nest with "." (a Sequential gives each
// layer its index, as torch.nn.Sequential does), so a network's parameter
// and buffer names are those of the equivalent PyTorch state_dict:
// "0.weight", "0.bias", "1.running_mean", "1.running_var",
// "1.num_batches_tracked".
//
// Layers follow PyTorch's conventions: Linear's weight is (out, in) and
// y = x·Wᵀ + b; Conv2d's weight is (out, in/groups, kh, kw) on NCHW images;
// default initialisation is kaiming_uniform_(a=√5), U(±1/√fan_in), and the
// bias is U(±1/√fan_in). Input sizes are inferred from the input, like
// torch's lazy modules.
//
// Every layer is a row of one table (Layers), from which the layer grammar
// (Parse: "conv2d(16,3,padding=1) relu maxpool2d(2) flatten linear(10)"),
// its printing (Format) and its documentation are derived. A user's own
// module joins the same table with Register, so it can be saved, loaded and
// used from the command line like a built-in one.
package nn
