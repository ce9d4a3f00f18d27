"""The workshop: selection criteria, key accounts and KPIs (slide 15)."""
