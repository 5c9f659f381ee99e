package nn

// The built-in rows of the layer table.
func init() {
	mustRegister(
		Layer{Name: "linear", Doc: "y = x·Wᵀ + b; weight (out_features, in_features), in_features inferred", New: func() Module { return &Linear{} }},
		Layer{Name: "conv2d", Doc: "2-D cross-correlation on NCHW images; weight (out_channels, in/groups, kh, kw)", New: func() Module { return &Conv2d{} }},
		Layer{Name: "conv1d", Doc: "1-D cross-correlation on (N, C, L); weight (out_channels, in/groups, k)", New: func() Module { return &Conv1d{} }},
		Layer{Name: "maxpool2d", Doc: "window maximum; stride defaults to kernel_size; gradient to the first maximum", New: func() Module { return &MaxPool2d{} }},
		Layer{Name: "avgpool2d", Doc: "window mean; stride defaults to kernel_size; count_include_pad=true", New: func() Module { return &AvgPool2d{} }},
		Layer{Name: "adaptiveavgpool2d", Doc: "global average pooling, output_size 1: (N, C, H, W) → (N, C, 1, 1)", New: func() Module { return &AdaptiveAvgPool2d{} }},
		Layer{Name: "flatten", Doc: "(n, d1, d2, …) → (n, d1·d2·…)", New: func() Module { return &Flatten{} }},
		Layer{Name: "relu", Doc: "max(x, 0)", New: func() Module { return &ReLU{} }},
		Layer{Name: "leakyrelu", Doc: "x if x > 0 else negative_slope·x (default 0.01)", New: func() Module { return &LeakyReLU{} }},
		Layer{Name: "elu", Doc: "x if x > 0 else alpha·(eˣ − 1) (default alpha 1)", New: func() Module { return &ELU{} }},
		Layer{Name: "gelu", Doc: "exact ½·x·(1 + erf(x/√2))", New: func() Module { return &GELU{} }},
		Layer{Name: "silu", Doc: "x·σ(x)", New: func() Module { return &SiLU{} }},
		Layer{Name: "tanh", Doc: "tanh(x)", New: func() Module { return &Tanh{} }},
		Layer{Name: "sigmoid", Doc: "1/(1 + e^(−x))", New: func() Module { return &Sigmoid{} }},
		Layer{Name: "softmax", Doc: "softmax along the last dimension", New: func() Module { return &Softmax{} }},
		Layer{Name: "logsoftmax", Doc: "log-softmax along the last dimension", New: func() Module { return &LogSoftmax{} }},
		Layer{Name: "batchnorm1d", Doc: "batch norm of (n, c) or (n, c, l) per channel: batch statistics in training, running ones in evaluation (eps 1e-5, momentum 0.1)", New: func() Module { return &BatchNorm1d{} }},
		Layer{Name: "batchnorm2d", Doc: "batch norm of (n, c, h, w) images per channel: batch statistics in training, running ones in evaluation (eps 1e-5, momentum 0.1)", New: func() Module { return &BatchNorm2d{} }},
		Layer{Name: "layernorm", Doc: "normalizes over the last dimension, then weight·x̂ + bias (eps 1e-5)", New: func() Module { return &LayerNorm{} }},
		Layer{Name: "dropout", Doc: "zeroes each value with probability p (default 0.5) and scales the rest by 1/(1−p) in training; identity in evaluation", New: func() Module { return &Dropout{} }},
		Layer{Name: "embedding", Doc: "row lookup of integer ids: (n) or (n, l) → (…, embedding_dim); weight (num_embeddings, embedding_dim) from N(0,1)", New: func() Module { return &Embedding{} }},
		Layer{Name: "residual", Doc: "x + body(x), body a nested layer sequence", New: func() Module { return &Residual{} }},
	)
}
