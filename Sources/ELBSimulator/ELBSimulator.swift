// The ELB simulator: see its issue and ../shared/spec/services.md. Work in progress.
