"""Which torch modules and classes the reference layer covers (data only, no imports)."""

from __future__ import annotations

REFERENCE_MODULES: tuple[str, ...] = (
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.init",
    "torch.nn.utils",
    "torch.nn.utils.rnn",
    "torch.nn.utils.prune",
    "torch.nn.utils.parametrizations",
    "torch.nn.attention",
    "torch.optim",
    "torch.optim.lr_scheduler",
    "torch.optim.swa_utils",
    "torch.utils.data",
    "torch.utils.checkpoint",
    "torch.autograd",
    "torch.autograd.functional",
    "torch.autograd.grad_mode",
    "torch.linalg",
    "torch.fft",
    "torch.special",
    "torch.distributions",
    "torch.cuda",
    "torch.cuda.amp",
    "torch.amp",
    "torch.backends.cudnn",
    "torch.backends.cuda",
    "torch.backends.mps",
    "torch.backends.mkldnn",
    "torch.backends.opt_einsum",
    "torch.distributed",
    "torch.func",
    "torch.export",
    "torch.profiler",
    "torch.multiprocessing",
    "torch.sparse",
    "torch.jit",
    "torch.compiler",
    "torch.onnx",
    "torch.hub",
    "torch.random",
    "torch.testing",
    "torch.masked",
    "torch.accelerator",
)
"""The modules whose public names become reference entries, in priority order: when one
object has several public names, the earliest module's name is the canonical one, and a short
name (``relu``) resolves to the earliest module that has it."""

MEMBER_CLASSES: tuple[str, ...] = (
    "torch.Tensor",
    "torch.nn.Module",
    "torch.optim.Optimizer",
    "torch.optim.lr_scheduler.LRScheduler",
    "torch.utils.data.DataLoader",
    "torch.utils.data.Dataset",
    "torch.distributions.Distribution",
)
"""Classes whose public methods and properties get entries of their own."""

DISTRIBUTED_CORE: frozenset[str] = frozenset(
    {
        "init_process_group", "destroy_process_group", "is_available", "is_initialized",
        "get_rank", "get_world_size", "get_backend", "new_group", "barrier", "all_reduce",
        "all_gather", "all_gather_object", "all_gather_into_tensor", "all_to_all",
        "all_to_all_single", "broadcast", "broadcast_object_list", "reduce", "reduce_scatter",
        "reduce_scatter_tensor", "gather", "gather_object", "scatter", "scatter_object_list",
        "send", "recv", "isend", "irecv", "monitored_barrier", "ReduceOp", "Backend",
        "ProcessGroup", "Work", "GroupMember", "get_global_rank", "get_process_group_ranks",
        "is_nccl_available", "is_gloo_available", "is_mpi_available", "is_torchelastic_launched",
        "batch_isend_irecv", "P2POp", "Store", "TCPStore", "FileStore", "HashStore",
        "PrefixStore", "get_node_local_rank", "DeviceMesh", "init_device_mesh",
    }
)  # fmt: skip
"""torch.distributed exports far more than its documented core; only these names count."""
