"""Reports: AR aging, DSO, cash application, disputes and follow-up backlog, with exports."""
