# The two commands of the README: `make run` and `make test`.
.PHONY: setup train run run-cluster test

setup:
	@bash scripts/setup.sh

train: setup
	@bash scripts/train.sh

run: train
	@python3 scripts/stack.py

# The same assistant as N replicas per tier behind HAProxy, on PostgreSQL and Redis
# (README "Scaling out"); REPLICAS=2 by default.
run-cluster: train
	@bash scripts/setup.sh --cluster && python3 scripts/cluster.py

test:
	@bash scripts/test.sh
