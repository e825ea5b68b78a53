DROP TABLE oncall_patterns;
