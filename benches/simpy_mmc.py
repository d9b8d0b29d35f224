"""The same M/M/c workload as `cargo bench --bench sim` (c = 8, rho = 0.9, mean service 1, FIFO), in SimPy,
to compare requests simulated per second. Usage: python3 benches/simpy_mmc.py [REQUESTS] (default 1,000,000).

Each request is a SimPy process that requests one of the c servers, holds it for an exponential service
time and records its sojourn time; arrivals come from a source process. This is the idiomatic SimPy model.
"""
import random
import sys
import time

import simpy

C = 8
RHO = 0.9
MU = 1.0
LAM = RHO * C * MU


def run(n, seed=42):
    rng = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=C)
    sojourns = []

    def request(env, arrival):
        with servers.request() as req:
            yield req
            yield env.timeout(rng.expovariate(MU))
        sojourns.append(env.now - arrival)

    def source(env):
        for _ in range(n):
            yield env.timeout(rng.expovariate(LAM))
            env.process(request(env, env.now))

    env.process(source(env))
    env.run()
    return sojourns


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    t = time.perf_counter()
    sojourns = run(n)
    dt = time.perf_counter() - t
    sojourns.sort()
    mean = sum(sojourns) / len(sojourns)
    p99 = sojourns[int(0.99 * len(sojourns)) - 1]
    print(f"simpy {simpy.__version__}: {n:,} requests in {dt:.2f} s = {n / dt:,.0f} requests/s "
          f"(mean W {mean:.4f}, exact 1.8769; p99 {p99:.4f}, exact 7.0873)")


if __name__ == "__main__":
    main()
