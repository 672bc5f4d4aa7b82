"""Backpropagation and optimisers against torch.autograd / torch.optim and hand-computed steps."""

from __future__ import annotations

import numpy as np
import pytest

from py_runtime.backprop import forward_batch, init_params, log_softmax, loss_and_gradients
from py_runtime.export_format import ACTIVATIONS
from py_runtime.optim import SGD, Adam, make_optimiser

torch = pytest.importorskip("torch")

TORCH_ACTIVATION = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "linear": lambda z: z,
}


def random_case(seed: int):
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 5))
    widths = [int(rng.integers(2, 30)) for _ in range(depth + 1)]
    hidden = [str(a) for a in rng.choice(ACTIVATIONS, size=depth - 1)]
    activations = [*hidden, "linear"]
    params = [
        (rng.normal(0, 0.7, size=(out, fan_in)), rng.normal(0, 0.3, size=out))
        for fan_in, out in zip(widths[:-1], widths[1:], strict=True)
    ]
    batch = int(rng.integers(1, 40))
    inputs = rng.normal(0, 1, size=(batch, widths[0]))
    labels = rng.integers(0, widths[-1], size=batch)
    return params, activations, inputs, labels


def torch_loss_and_gradients(params, activations, inputs, labels):
    tensors = [
        (torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
        for w, b in params
    ]
    x = torch.tensor(inputs)
    for (w, b), activation in zip(tensors, activations, strict=True):
        x = TORCH_ACTIVATION[activation](x @ w.T + b)
    loss = torch.nn.functional.cross_entropy(x, torch.tensor(labels))
    loss.backward()
    return loss.item(), [(w.grad.numpy(), b.grad.numpy()) for w, b in tensors]


def assert_close_relative(mine: np.ndarray, theirs: np.ndarray, tolerance: float = 1e-5):
    scale = max(float(np.abs(theirs).max()), 1e-12)
    assert float(np.abs(mine - theirs).max()) / scale <= tolerance


@pytest.mark.parametrize("seed", range(40))
def test_gradients_equal_torch_autograd_on_random_architectures(seed):
    params, activations, inputs, labels = random_case(seed)
    loss, grads = loss_and_gradients(params, activations, inputs, labels)
    expected_loss, expected = torch_loss_and_gradients(params, activations, inputs, labels)
    assert loss == pytest.approx(expected_loss, rel=1e-9)
    for (gw, gb), (ew, eb) in zip(grads, expected, strict=True):
        assert gw.shape == ew.shape and gb.shape == eb.shape
        assert_close_relative(gw, ew)
        assert_close_relative(gb, eb)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_is_checked_in_a_hidden_layer(activation):
    rng = np.random.default_rng(7)
    params = [
        (rng.normal(size=(6, 5)), rng.normal(size=6)),
        (rng.normal(size=(3, 6)), rng.normal(size=3)),
    ]
    activations = [activation, "linear"]
    inputs, labels = rng.normal(size=(9, 5)), rng.integers(0, 3, size=9)
    _, grads = loss_and_gradients(params, activations, inputs, labels)
    _, expected = torch_loss_and_gradients(params, activations, inputs, labels)
    for (gw, gb), (ew, eb) in zip(grads, expected, strict=True):
        assert_close_relative(gw, ew)
        assert_close_relative(gb, eb)


def test_float32_gradients_stay_close_to_torch():
    params, activations, inputs, labels = random_case(3)
    single = [(w.astype(np.float32), b.astype(np.float32)) for w, b in params]
    _, grads = loss_and_gradients(single, activations, inputs.astype(np.float32), labels)
    _, expected = torch_loss_and_gradients(params, activations, inputs, labels)
    for (gw, _), (ew, _) in zip(grads, expected, strict=True):
        assert gw.dtype == np.float32
        assert_close_relative(gw, ew, 1e-4)


def test_log_softmax_is_stable_for_huge_logits():
    out = log_softmax(np.array([[1000.0, 0.0, -1000.0]]))
    assert np.isfinite(out).all() and out[0, 0] == pytest.approx(0.0)


def test_forward_batch_matches_layer_by_layer():
    params, activations, inputs, _ = random_case(5)
    pre, outputs = forward_batch(params, activations, inputs)
    assert len(pre) == len(params) and outputs[0] is inputs
    assert outputs[-1].shape == (inputs.shape[0], params[-1][0].shape[0])


def test_init_params_is_seeded_and_shaped():
    a = init_params([784, 32, 10], ["relu", "linear"], seed=3)
    b = init_params([784, 32, 10], ["relu", "linear"], seed=3)
    c = init_params([784, 32, 10], ["relu", "linear"], seed=4)
    assert a[0][0].shape == (32, 784) and a[1][1].shape == (10,)
    assert all(np.array_equal(x, y) for (x, _), (y, _) in zip(a, b, strict=True))
    assert not np.array_equal(a[0][0], c[0][0])


def test_empty_batch_is_refused():
    params, activations, inputs, labels = random_case(1)
    with pytest.raises(ValueError, match="empty batch"):
        loss_and_gradients(params, activations, inputs[:0], labels[:0])


# ---------------------------------------------------------------- optimisers


def test_sgd_momentum_by_hand():
    p = np.array([1.0, -2.0])
    sgd = SGD([p], learning_rate=0.1, momentum=0.5)
    sgd.step([np.array([1.0, 2.0])])  # v = g = [1, 2]; p = [0.9, -2.2]
    assert np.allclose(p, [0.9, -2.2])
    sgd.step([np.array([1.0, 0.0])])  # v = 0.5*[1, 2] + [1, 0] = [1.5, 1]; p -= 0.1 v
    assert np.allclose(p, [0.75, -2.3])


def test_plain_sgd_by_hand():
    p = np.array([3.0])
    SGD([p], learning_rate=0.5, momentum=0.0).step([np.array([2.0])])
    assert np.allclose(p, [2.0])


def test_adam_by_hand():
    p = np.array([1.0])
    adam = Adam([p], learning_rate=0.1, beta1=0.9, beta2=0.999, eps=1e-8)
    adam.step([np.array([2.0])])
    # m = 0.2, v = 0.004; m̂ = 2, v̂ = 4 → p = 1 - 0.1 * 2 / (2 + 1e-8)
    assert p[0] == pytest.approx(1 - 0.1 * 2 / (2 + 1e-8))
    adam.step([np.array([-1.0])])
    m = 0.9 * 0.2 + 0.1 * -1.0
    v = 0.999 * 0.004 + 0.001 * 1.0
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    assert p[0] == pytest.approx(0.9 - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8))


@pytest.mark.parametrize("name", ["sgd", "adam"])
def test_optimisers_match_torch_optim_over_several_steps(name):
    rng = np.random.default_rng(11)
    start = rng.normal(size=(4, 3))
    grads = [rng.normal(size=(4, 3)) for _ in range(5)]
    mine = start.copy()
    optimiser = make_optimiser(name, [mine], 0.01)
    theirs = torch.tensor(start.copy(), requires_grad=True)
    if name == "sgd":
        reference = torch.optim.SGD([theirs], lr=0.01, momentum=0.9)
    else:
        reference = torch.optim.Adam([theirs], lr=0.01)
    for grad in grads:
        optimiser.step([grad])
        theirs.grad = torch.tensor(grad)
        reference.step()
    assert np.allclose(mine, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("rate", [0, -1, float("nan"), "0.1", True, 11])
def test_bad_learning_rates_are_refused(rate):
    with pytest.raises(ValueError, match="learning rate"):
        make_optimiser("sgd", [np.zeros(2)], rate)


def test_unknown_optimiser_is_refused():
    with pytest.raises(ValueError, match="unknown optimiser"):
        make_optimiser("rmsprop", [np.zeros(2)], 0.1)
