//! Reading criterion's results back: a benchmark `<id>` (`group/function` for a group) leaves
//! `target/criterion/<id>/new/estimates.json`, whose `median.point_estimate` is in nanoseconds.

use crate::cmd::Result;
use std::fs;
use std::path::Path;
use std::time::SystemTime;

/// `(id, median in ns)` for every benchmark whose estimates were written at or after `since`, sorted
/// by id. Older files belong to earlier runs, to filtered-out benchmarks or to deleted ones.
pub fn medians_ns(criterion_dir: &Path, since: SystemTime) -> Result<Vec<(String, f64)>> {
    let mut found = Vec::new();
    if criterion_dir.is_dir() {
        collect(criterion_dir, criterion_dir, since, &mut found)?;
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

fn collect(root: &Path, dir: &Path, since: SystemTime, found: &mut Vec<(String, f64)>) -> Result {
    let estimates = dir.join("new").join("estimates.json");
    if estimates.is_file() {
        let modified = fs::metadata(&estimates)
            .and_then(|metadata| metadata.modified())
            .map_err(|error| format!("{}: {error}", estimates.display()))?;
        if modified >= since {
            let json = fs::read_to_string(&estimates)
                .map_err(|error| format!("{}: {error}", estimates.display()))?;
            let median = median_point_estimate(&json)
                .ok_or_else(|| format!("{}: no median.point_estimate", estimates.display()))?;
            let id = dir.strip_prefix(root).unwrap_or(dir).to_string_lossy();
            found.push((id.replace('\\', "/"), median));
        }
        // A benchmark's directory holds its results (new/, base/, report/), not further benchmarks.
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|error| format!("{}: {error}", dir.display()))?
            .path();
        if path.is_dir() {
            collect(root, &path, since, found)?;
        }
    }
    Ok(())
}

/// `median.point_estimate` of an estimates.json. A two-key look-up instead of a JSON parser keeps
/// xtask free of dependencies; it relies on the file's fixed shape: the `"median"` object's only
/// `point_estimate` is its own (its `confidence_interval` has none), and `"median_abs_dev"` is a
/// different key because the quote closes the name.
fn median_point_estimate(json: &str) -> Option<f64> {
    let median = &json[json.find("\"median\"")?..];
    let key = &median[median.find("\"point_estimate\"")? + "\"point_estimate\"".len()..];
    let value = key.trim_start().strip_prefix(':')?;
    let end = value.find([',', '}'])?;
    value[..end].trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::median_point_estimate;

    #[test]
    fn reads_the_median_not_the_mean_or_the_median_abs_dev() {
        let json = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":2.0,"upper_bound":3.0},"point_estimate":2.5,"standard_error":0.1},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":28188455.25,"upper_bound":28285815.0},"point_estimate":28264940.75,"standard_error":28166.0},"median_abs_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1.5,"standard_error":0.3},"slope":null}"#;
        assert_eq!(median_point_estimate(json), Some(28264940.75));
    }

    #[test]
    fn tolerates_pretty_printed_json() {
        let json = "{\n  \"median\": {\n    \"point_estimate\" : 1e6\n  }\n}";
        assert_eq!(median_point_estimate(json), Some(1e6));
    }

    #[test]
    fn no_median_is_none() {
        assert_eq!(
            median_point_estimate(r#"{"mean":{"point_estimate":1.0}}"#),
            None
        );
    }
}
