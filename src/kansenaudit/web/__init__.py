"""The Django workbench: one app per domain, business logic in services and selectors."""
