"""Plan readers: markdown plans (api, db, stages, prd) -> PlanModel. The only markdown-it-py users."""
