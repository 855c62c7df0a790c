"""Battle management and interceptor flyout: decisions, intercept geometry, PN, lethality."""
