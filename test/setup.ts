// Preloaded by bun test (bunfig.toml). Bun already loads .env (scripts/setup.sh writes the
// stand-in image references there on machines with no registry); nothing else is global.
process.env.ASYM_PROGRESS ??= '0';
