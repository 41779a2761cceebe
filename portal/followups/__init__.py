"""Follow-up tasks, the scheduler that creates them and dunning (blueprint "followups")."""
