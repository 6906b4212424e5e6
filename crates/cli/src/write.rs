//! Output files: CSV and JSON for runs and f-I curves, chosen by the file's extension.
//!
//! Everything is streamed: a population run can record hundreds of millions of values, and
//! building a JSON tree of them first would need several times their memory.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use brainplay_sim::Output;
use serde::Serialize;

use crate::args::tidy;
use crate::failure::Failure;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// The format `path`'s extension asks for; checked before a run so a typo costs nothing.
pub fn format_of(path: &Path) -> Result<Format, Failure> {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("csv") => Ok(Format::Csv),
        Some(e) if e.eq_ignore_ascii_case("json") => Ok(Format::Json),
        _ => Err(Failure::usage(format!(
            "--out `{}` must end in .csv or .json, which picks the format",
            path.display()
        ))),
    }
}

/// Opens `path` for writing. Done before the simulation starts, so that a path that cannot be
/// written is reported at once rather than after a long run.
pub fn create(path: &Path) -> Result<BufWriter<File>, Failure> {
    File::create(path).map(BufWriter::new).map_err(|e| {
        Failure::usage(format!(
            "cannot write --out `{}`: {e}; check that its folder exists and is writable",
            path.display()
        ))
    })
}

/// Flushes what `write` left buffered and turns an I/O error into a message naming the file.
pub fn finish(
    path: &Path,
    mut file: BufWriter<File>,
    written: io::Result<()>,
) -> Result<(), Failure> {
    written.and_then(|()| file.flush()).map_err(|e| {
        Failure::usage(format!(
            "writing --out `{}` failed: {e}; check the free space and permissions",
            path.display()
        ))
    })
}

/// A number as CSV shows it: the shortest text that reads back as the same `f64`, with an
/// exponent only where plain digits would be long (`1e-7`, not `0.0000001`).
struct Num(f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        let magnitude = x.abs();
        if x == 0.0 || !x.is_finite() || (1e-5..1e16).contains(&magnitude) {
            write!(f, "{x}")
        } else {
            write!(f, "{x:e}")
        }
    }
}

/// `t_ms,V[0],V[1],…,m[0],…`: one row per sample, one column per recorded variable and neuron,
/// variable-major.
pub fn run_csv(w: &mut impl Write, output: &Output) -> io::Result<()> {
    write!(w, "t_ms")?;
    for (name, per_neuron) in output.names.iter().zip(&output.traces) {
        for neuron in 0..per_neuron.len() {
            write!(w, ",{name}[{neuron}]")?;
        }
    }
    writeln!(w)?;
    for (sample, &t_ms) in output.t_ms.iter().enumerate() {
        write!(w, "{}", Num(tidy(t_ms)))?;
        for per_neuron in &output.traces {
            for trace in per_neuron {
                write!(w, ",{}", Num(trace[sample]))?;
            }
        }
        writeln!(w)?;
    }
    Ok(())
}

/// What produced a run, stored with its results.
pub struct RunInfo<'a> {
    pub model_id: &'a str,
    pub method: &'a str,
    pub n_neurons: usize,
    pub dt_ms: f64,
    pub duration_ms: f64,
    pub record_stride: usize,
    pub seed: u64,
    /// The input spec in canonical form, if any.
    pub input: Option<String>,
}

/// `{"model": id, "dt_ms": …, "t_ms": […], "vars": {"V": [[neuron 0…], …], …},
/// "spike_times_ms": [[…], …], "warnings": […], "error": null or "message"}`, plus the rest of
/// the run's settings.
pub fn run_json(w: &mut impl Write, info: &RunInfo, output: &Output) -> io::Result<()> {
    let times = |ts: &[f64]| ts.iter().map(|&t| tidy(t)).collect::<Vec<f64>>();
    write!(w, "{{\"model\": ")?;
    json(w, info.model_id)?;
    write!(w, ", \"method\": ")?;
    json(w, info.method)?;
    write!(w, ", \"n_neurons\": {}, \"dt_ms\": ", info.n_neurons)?;
    json(w, &info.dt_ms)?;
    write!(w, ", \"duration_ms\": ")?;
    json(w, &info.duration_ms)?;
    write!(
        w,
        ", \"record_stride\": {}, \"seed\": {}, \"input\": ",
        info.record_stride, info.seed
    )?;
    json(w, &info.input)?;
    write!(w, ",\n\"t_ms\": ")?;
    json(w, &times(&output.t_ms))?;
    write!(w, ",\n\"vars\": {{")?;
    for (k, (name, per_neuron)) in output.names.iter().zip(&output.traces).enumerate() {
        if k > 0 {
            write!(w, ",")?;
        }
        writeln!(w)?;
        json(w, name)?;
        write!(w, ": ")?;
        json(w, per_neuron)?;
    }
    write!(w, "}},\n\"spike_times_ms\": [")?;
    for (k, spikes) in output.spike_times_ms.iter().enumerate() {
        if k > 0 {
            write!(w, ", ")?;
        }
        json(w, &times(spikes))?;
    }
    write!(w, "],\n\"warnings\": ")?;
    json(w, &english(&output.warnings))?;
    write!(w, ",\n\"error\": ")?;
    json(w, &output.error.as_ref().map(|e| e.to_string()))?;
    writeln!(w, "}}")
}

/// `PARAM,rate_hz`, one row per swept value.
pub fn fi_csv(w: &mut impl Write, param: &str, values: &[f64], rates_hz: &[f64]) -> io::Result<()> {
    writeln!(w, "{param},rate_hz")?;
    for (&v, &r) in values.iter().zip(rates_hz) {
        writeln!(w, "{},{}", Num(v), Num(r))?;
    }
    Ok(())
}

/// An f-I curve and how it was made.
pub struct FiCurve<'a> {
    pub model_id: &'a str,
    pub method: &'a str,
    pub param: &'a str,
    pub unit: &'a str,
    pub dt_ms: f64,
    pub duration_ms: f64,
    pub values: &'a [f64],
    pub rates_hz: &'a [f64],
    /// The first value with a rate above 0.
    pub rheobase: Option<f64>,
    pub warnings: &'a [String],
    pub error: Option<String>,
}

pub fn fi_json(w: &mut impl Write, curve: &FiCurve) -> io::Result<()> {
    write!(w, "{{\"model\": ")?;
    json(w, curve.model_id)?;
    write!(w, ", \"method\": ")?;
    json(w, curve.method)?;
    write!(w, ", \"param\": ")?;
    json(w, curve.param)?;
    write!(w, ", \"unit\": ")?;
    json(w, curve.unit)?;
    write!(w, ", \"dt_ms\": ")?;
    json(w, &curve.dt_ms)?;
    write!(w, ", \"duration_ms\": ")?;
    json(w, &curve.duration_ms)?;
    write!(w, ",\n\"values\": ")?;
    json(w, curve.values)?;
    write!(w, ",\n\"rate_hz\": ")?;
    json(w, curve.rates_hz)?;
    write!(w, ",\n\"rheobase\": ")?;
    json(w, &curve.rheobase)?;
    write!(w, ", \"warnings\": ")?;
    json(w, curve.warnings)?;
    write!(w, ", \"error\": ")?;
    json(w, &curve.error)?;
    writeln!(w, "}}")
}

/// The English of core messages (the CLI speaks English).
pub fn english(messages: &[brainplay_sim::Message]) -> Vec<String> {
    messages.iter().map(|m| m.en.clone()).collect()
}

/// One JSON value. serde_json writes NaN and infinities as `null`, which keeps the file valid
/// JSON if a recorded helper is not finite.
fn json<T: Serialize + ?Sized>(w: &mut impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_extension() {
        let check = |path: &str, want: Option<Format>| {
            assert_eq!(format_of(Path::new(path)).ok(), want, "{path}");
        };
        check("x.csv", Some(Format::Csv));
        check("dir/x.CSV", Some(Format::Csv));
        check("x.json", Some(Format::Json));
        check("x.txt", None);
        check("x", None);
        check("csv", None);
    }

    #[test]
    fn numbers_read_back_exactly() {
        for (x, want) in [
            (0.0, "0"),
            (-70.68, "-70.68"),
            (1.0, "1"),
            (1e-7, "1e-7"),
            (2.5e20, "2.5e20"),
            (123456.789, "123456.789"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(Num(x).to_string(), want);
            if x.is_finite() {
                assert_eq!(want.parse::<f64>().unwrap(), x);
            }
        }
    }

    #[test]
    fn csv_is_variable_major() {
        let output = Output {
            t_ms: vec![0.0, 0.1, 0.30000000000000004],
            names: vec!["V".into(), "w".into()],
            traces: vec![
                vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]],
                vec![vec![7.0, 8.0, 9.0], vec![0.5, 0.25, 0.125]],
            ],
            spike_times_ms: vec![vec![], vec![]],
            ..Output::default()
        };
        let mut text = Vec::new();
        run_csv(&mut text, &output).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "t_ms,V[0],V[1],w[0],w[1]\n0,1,4,7,0.5\n0.1,2,5,8,0.25\n0.3,3,6,9,0.125\n"
        );
    }

    #[test]
    fn json_parses_and_keeps_the_record_order() {
        let output = Output {
            t_ms: vec![0.0, 0.1],
            names: vec!["w".into(), "V".into()],
            traces: vec![vec![vec![1.0, f64::NAN]], vec![vec![3.0, 4.0]]],
            spike_times_ms: vec![vec![0.30000000000000004]],
            warnings: vec![brainplay_sim::Message::new("careful", "小心")],
            ..Output::default()
        };
        let info = RunInfo {
            model_id: "m",
            method: "rk4",
            n_neurons: 1,
            dt_ms: 0.1,
            duration_ms: 0.2,
            record_stride: 1,
            seed: 0,
            input: None,
        };
        let mut text = Vec::new();
        run_json(&mut text, &info, &output).unwrap();
        let text = String::from_utf8(text).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["model"], "m");
        assert_eq!(v["vars"]["w"], serde_json::json!([[1.0, null]]));
        assert_eq!(v["spike_times_ms"], serde_json::json!([[0.3]]));
        assert_eq!(v["error"], serde_json::Value::Null);
        assert!(text.find("\"w\"").unwrap() < text.find("\"V\"").unwrap());
    }
}
