"""Examples of Academy inside other sites."""
