"""Building the published report from findings, conclusions and recommendations."""
