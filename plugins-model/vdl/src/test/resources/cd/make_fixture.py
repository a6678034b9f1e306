#!/usr/bin/python3
"""Reference codes for CoordinateDescentTest from scikit-learn's SparseCoder (lasso_cd), run once with Debian's
python3-sklearn (1.2.1) and committed: python3 make_fixture.py (writes the .npy files next to this script).
Problem: 24 correlated unit atoms in 64 dims (a shared component, as MNIST digits share one), 12 inputs made of
3-5 atoms plus noise, float32; energy (1/P)|y - Dz|^2 + lam|z|_1 with lam = 0.01, i.e. transform_alpha = lam*P/2.
Writes D.npy [64, 24] (atoms as columns), Y.npy [12, 64], Z_pos.npy / Z_signed.npy [12, 24] (positive_code True /
False, tol 1e-4, max_iter 1000) and iters.npy [2, 12] (sweeps per sample, positive then signed)."""
import os
import numpy as np
import sklearn
from sklearn.decomposition import SparseCoder
from sklearn.linear_model import Lasso

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(6)
p, d, n, lam = 64, 24, 12, 0.01
common = rng.standard_normal(p)
D = rng.standard_normal((p, d)) + 0.8 * common[:, None]
D /= np.linalg.norm(D, axis=0, keepdims=True)
Z = np.zeros((n, d))
for i in range(n):
    k = rng.integers(3, 6)
    Z[i, rng.choice(d, k, replace=False)] = rng.uniform(0.3, 1.5, k) * rng.choice([-1, 1], k, p=[0.3, 0.7])
Y = Z @ D.T + 0.05 * rng.standard_normal((n, p))
D, Y = D.astype(np.float32), Y.astype(np.float32)
np.save(f"{here}/D.npy", np.ascontiguousarray(D))
np.save(f"{here}/Y.npy", np.ascontiguousarray(Y))
iters = []
for positive, name in ((True, "pos"), (False, "signed")):
    coder = SparseCoder(dictionary=D.T, transform_algorithm="lasso_cd", transform_alpha=lam * p / 2, positive_code=positive)
    z = coder.transform(Y)
    # the same fit as SparseCoder's, kept to read the sweeps per sample (n_iter_)
    las = Lasso(alpha=lam / 2, fit_intercept=False, precompute=D.T @ D, max_iter=1000, positive=positive).fit(D, Y.T)
    assert np.array_equal(las.coef_, z), "Lasso and SparseCoder differ"
    np.save(f"{here}/Z_{name}.npy", np.ascontiguousarray(z, dtype=np.float32))
    iters.append(las.n_iter_)
    print(name, z.dtype, "zeros", (z == 0).mean(), "sweeps", las.n_iter_,
          "energy", ((Y - z @ D.T) ** 2).sum() / p + lam * np.abs(z).sum())
np.save(f"{here}/iters.npy", np.array(iters, dtype=np.int32))
print("sklearn", sklearn.__version__)
