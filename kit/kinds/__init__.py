"""The rule kinds, one module per kind (kit/kinds/<kind>.py with its messages in <kind>.yaml);
kit.kinds.registry lists them. Importing this package loads none of them."""
