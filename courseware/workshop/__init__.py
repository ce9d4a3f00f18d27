"""The workshop: selection criteria, key accounts and KPIs (page 15)."""
