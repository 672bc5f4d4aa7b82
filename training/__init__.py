"""Native PyTorch training of the visualizer's MLP.

One job per module: ``idx`` (the IDX file format), ``prepare_data`` (offline data
preparation), ``datasets`` (loading into tensors), ``augment`` (batched augmentation),
``model``, ``device``, ``loop`` (training and evaluation), ``export`` (writing the
weights export through ``py_runtime``), ``plots`` and the CLI ``mlp_train``.
"""
