# The two commands of the README: `make run` and `make test`.
.PHONY: setup train run test

setup:
	@bash scripts/setup.sh

train: setup
	@bash scripts/train.sh

run: train
	@python3 scripts/stack.py

test:
	@bash scripts/test.sh
