"""The contract register and the contract-invoice check."""
