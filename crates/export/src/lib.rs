//! BrainPlay's BrainPy export: a population run (model, setup, duration) as a runnable BrainPy 2.4 script
//! that simulates the same thing and draws what the page draws. Everything is generated from
//! the model's IR (`neuron.rs`: the class; `input.rs`: the input protocol; `names.rs`: Python
//! names and expressions), so a learner's edited model exports as well as a built-in one.
//! `brainplay-lessons`' tests run the scripts in BrainPy and compare them with BrainPlay's runs.
//! A crate of its own so that it is optimised for size in the site (it only writes text).

mod input;
mod names;
mod neuron;
mod plane;

use brainplay_sim::{msg, Message};
use std::fmt::Write;

use brainplay_content::measure::Measure;
use brainplay_sim::display::number;
use brainplay_sim::ir::{Model, Sym};
use brainplay_sim::Setup;

pub use neuron::method_name;
pub use plane::{phase_plane_script, PlaneExport};

/// The pip command that installs what the scripts need (versions known to work together).
pub const PIP_INSTALL: &str =
    "pip install brainpy==2.4.6 jax==0.4.23 jaxlib==0.4.23 \"numpy<2\" \"scipy<1.13\" matplotlib";

/// One panel of the figure: its title and the names it plots.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub title: String,
    pub vars: Vec<String>,
}

/// A sweep: one neuron per value of `param` (set per neuron in the setup), and what is measured
/// of each, drawn against the values.
pub struct Sweep<'a> {
    pub param: &'a str,
    pub measures: &'a [Measure],
}

/// What to export.
pub struct Export<'a> {
    pub model: &'a Model,
    pub setup: &'a Setup,
    pub duration_ms: f64,
    pub panels: &'a [Panel],
    /// Where the setting comes from, for the script's first line (a lesson widget, a link).
    pub origin: &'a str,
    /// Draw measures against a swept parameter instead of the panels' traces.
    pub sweep: Option<Sweep<'a>>,
}

/// The script, or why this run cannot be exported.
pub fn brainpy_script(e: &Export) -> Result<String, Message> {
    if let Some(why) = neuron::unsupported(e.model) {
        return Err(why);
    }
    let mut recorded: Vec<&str> = Vec::new();
    let measured = e
        .sweep
        .iter()
        .flat_map(|s| s.measures.iter().filter_map(Measure::var));
    for name in e
        .panels
        .iter()
        .flat_map(|p| p.vars.iter().map(String::as_str))
        .chain(measured)
    {
        if !recorded.contains(&name) {
            recorded.push(name);
        }
    }
    let syms: Vec<Sym> = recorded
        .iter()
        .map(|name| symbol(e.model, name))
        .collect::<Result<_, _>>()?;
    let kept: Vec<Sym> = syms
        .iter()
        .copied()
        .filter(|s| !matches!(s, Sym::State(_)))
        .collect();
    let names = names::Names::of(e.model);
    let params = overrides(e.model, &names, &e.setup.params, true)?;
    let init = overrides(e.model, &names, &e.setup.init, false)?;
    let method = e.setup.method.unwrap_or(e.model.method);

    let mut out = String::new();
    let w = &mut out;
    prelude(
        w,
        e.model,
        e.origin,
        &format!(
            "The same model, parameters, input, integrator ({}) and time step as on the page,\nwritten for BrainPy 2.4.",
            method_name(method)
        ),
        "Run `python this_file.py` to see the figure, or `python this_file.py --save out.json` to\nwrite the recorded traces and the spike times as JSON.",
    );
    let _ = writeln!(w, "DT_MS = {}", float(e.setup.dt_ms));
    let _ = writeln!(w, "DURATION_MS = {}", float(e.duration_ms));
    let _ = writeln!(w, "N = {}  # neurons", e.setup.n);
    definitions(w, e.model, method, &kept);
    let _ = writeln!(
        w,
        "{}\n",
        input::function(e.setup.input.as_ref(), e.setup.seed)
    );
    let mut args = vec!["N".to_string()];
    args.extend(params);
    if !init.is_empty() {
        args.push(format!("initial={{{}}}", init.join(", ")));
    }
    let _ = writeln!(
        w,
        "model = {}({})",
        neuron::class_name(e.model),
        args.join(", ")
    );
    let _ = writeln!(w, "steps = int(DURATION_MS / DT_MS)");
    let monitors: Vec<String> = recorded
        .iter()
        .zip(&syms)
        .map(|(name, &sym)| {
            format!(
                "'{name}': model.{}",
                neuron::recorded_attribute(e.model, &names, sym)
            )
        })
        .chain(
            e.model
                .spike
                .is_some()
                .then(|| "'spike': model.spike".to_string()),
        )
        .collect();
    let _ = writeln!(w, "monitors = {{{}}}", monitors.join(", "));
    let _ = writeln!(
        w,
        "runner = bp.DSRunner(model, monitors=monitors, progress_bar=False)"
    );
    let _ = writeln!(w, "runner.run(inputs=input_protocol(steps, N))");
    let _ = writeln!(
        w,
        "ts = runner.mon.ts  # the state after step i is labelled i * dt, as on the page"
    );
    let spikes = if e.model.spike.is_some() {
        "[ts[runner.mon['spike'][:, k]].tolist() for k in range(N)]"
    } else {
        "[[] for _ in range(N)]"
    };
    let _ = writeln!(w, "spike_times = {spikes}");
    let quoted: Vec<String> = recorded.iter().map(|n| format!("'{n}'")).collect();
    let panels: Vec<String> = e
        .panels
        .iter()
        .map(|p| {
            let vars: Vec<String> = p.vars.iter().map(|v| format!("'{v}'")).collect();
            format!(
                "({}, [{}])",
                names::string_literal(&p.title),
                vars.join(", ")
            )
        })
        .collect();
    if let Some(sweep) = &e.sweep {
        let param = e
            .model
            .param_index(sweep.param)
            .map(|i| names.params[i].clone())
            .ok_or_else(|| {
                let (id, param) = (&e.model.id, &sweep.param);
                msg!(
                    "`{id}` has no parameter `{param}`",
                    "`{id}` 没有参数 `{param}`"
                )
            })?;
        let _ = write!(w, "{}", sweep_ending(&param, sweep.measures));
        return Ok(out);
    }
    let _ = write!(
        w,
        r#"
if '--save' in sys.argv:
    with open(sys.argv[sys.argv.index('--save') + 1], 'w') as file:
        json.dump({{'t_ms': ts.tolist(),
                   'traces': {{name: runner.mon[name].T.tolist() for name in [{recorded}]}},
                   'spike_times_ms': spike_times}}, file)
else:
    import matplotlib.pyplot as plt
    for k, times in enumerate(spike_times):
        print(f'neuron {{k}}: {{len(times)}} spikes')
    panels = [{panels}]
    fig, axes = plt.subplots(len(panels), 1, sharex=True, squeeze=False,
                             figsize=(8, 2.8 * len(panels)))
    for ax, (title, names) in zip(axes[:, 0], panels):
        for name in names:
            for k in range(min(N, 10)):
                ax.plot(ts, runner.mon[name][:, k], label=name if N == 1 else f'{{name}} [{{k}}]')
        ax.set_title(title)
        ax.legend(loc='upper right')
    axes[-1, 0].set_xlabel('t (ms)')
    plt.tight_layout()
    plt.show()
"#,
        recorded = quoted.join(", "),
        panels = panels.join(", ")
    );
    Ok(out)
}

/// The end of a sweep's script: each measure per neuron (as `brainplay_lessons::measure`
/// computes it), saved or drawn against the swept values.
fn sweep_ending(param: &str, measures: &[Measure]) -> String {
    let per_neuron = |m: &Measure| match m {
        Measure::SpikeCount => "[float(len(s)) for s in spike_times]".to_string(),
        Measure::RateHz => "[len(s) / (DURATION_MS / 1000.0) for s in spike_times]".to_string(),
        Measure::FirstSpikeMs => "[s[0] if s else float('nan') for s in spike_times]".to_string(),
        Measure::MeanIsiMs => {
            "[(s[-1] - s[0]) / (len(s) - 1) if len(s) > 1 else float('nan') for s in spike_times]"
                .to_string()
        }
        Measure::Max(v) => format!("runner.mon['{v}'].max(axis=0).tolist()"),
        Measure::Min(v) => format!("runner.mon['{v}'].min(axis=0).tolist()"),
        Measure::Final(v) => format!("runner.mon['{v}'][-1].tolist()"),
    };
    let entries: Vec<String> = measures
        .iter()
        .map(|m| format!("    '{m}': {},", per_neuron(m)))
        .collect();
    format!(
        r#"
swept = np.broadcast_to(np.asarray(model.{param}, dtype=float), (N,))  # one neuron per value
measures = {{
{entries}
}}

if '--save' in sys.argv:
    with open(sys.argv[sys.argv.index('--save') + 1], 'w') as file:
        json.dump({{'x': swept.tolist(), 'measures': measures}}, file)
else:
    import matplotlib.pyplot as plt
    for name, values in measures.items():
        plt.plot(swept, values, 'o-', label=name)
    plt.xlabel('{param}')
    plt.legend()
    plt.tight_layout()
    plt.show()
"#,
        entries = entries.join("\n")
    )
}

/// The script's docstring (`what` says what it reproduces, `usage` how to run it) and imports.
fn prelude(w: &mut String, model: &Model, origin: &str, what: &str, usage: &str) {
    let _ = writeln!(
        w,
        "\"\"\"{}, exported from BrainPlay: {}.\n\n{what} Install it with\n\n    {PIP_INSTALL}\n\n{usage}\n\nBrainPy runs on JAX: with a CUDA build of jaxlib installed (see JAX's installation guide),\nchange bm.set_platform('cpu') below to 'gpu'. The class simulates a whole population at once:\nraise N for thousands of neurons; BrainPy's documentation on `brainpy.math.sharding` shows\nhow to spread a large network over several devices.\n\"\"\"\n",
        names::text(&model.title_en),
        names::text(origin)
    );
    let _ = writeln!(w, "import json\nimport math\nimport sys\n");
    let _ = writeln!(
        w,
        "import numpy as np\nimport brainpy as bp\nimport brainpy.math as bm\n"
    );
    let _ = writeln!(w, "bm.set_platform('cpu')  # 'gpu' to run on a GPU");
    let _ = writeln!(
        w,
        "bm.enable_x64()  # BrainPlay computes in double precision"
    );
}

/// The step's setting, the functions `brainpy.math` lacks (those the model calls) and the
/// model's class.
fn definitions(w: &mut String, model: &Model, method: brainplay_sim::Method, kept: &[Sym]) {
    let _ = writeln!(w, "bm.set_dt(DT_MS)\n\n");
    for f in neuron::functions_used(model) {
        let _ = writeln!(w, "{f}\n");
    }
    let _ = writeln!(w, "{}\n", neuron::class(model, method, kept));
}

/// Parameter or initial-state overrides as Python: `name=value` constructor arguments, or
/// `'name': value` entries of `initial`.
fn overrides(
    model: &Model,
    names: &names::Names,
    list: &[(String, Vec<f64>)],
    params: bool,
) -> Result<Vec<String>, Message> {
    list.iter()
        .map(|(name, values)| {
            let python = if params {
                model.param_index(name).map(|i| &names.params[i])
            } else {
                model.state_index(name).map(|i| &names.states[i])
            };
            let (what, what_zh) = match params {
                true => ("parameter", "参数"),
                false => ("state", "状态变量"),
            };
            let id = &model.id;
            let python = python.ok_or_else(|| {
                msg!(
                    "`{id}` has no {what} `{name}`",
                    "`{id}` 没有{what_zh} `{name}`"
                )
            })?;
            if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
                return Err(msg!(
                    "`{name}` = {bad} is not a finite number",
                    "`{name}` = {bad} 不是有限的数"
                ));
            }
            let value = value_text(values);
            Ok(if params {
                format!("{python}={value}")
            } else {
                format!("'{python}': {value}")
            })
        })
        .collect()
}

/// A recorded name as the model's symbol: a state, helper or parameter.
fn symbol(model: &Model, name: &str) -> Result<Sym, Message> {
    model
        .state_index(name)
        .map(Sym::State)
        .or_else(|| model.helper_index(name).map(Sym::Helper))
        .or_else(|| model.param_index(name).map(Sym::Param))
        .ok_or_else(|| {
            let id = &model.id;
            msg!(
                "`{id}` has no state, helper or parameter `{name}`",
                "`{id}` 没有名为 `{name}` 的状态变量、辅助定义或参数"
            )
        })
}

/// One value, or a list with one per neuron.
fn value_text(values: &[f64]) -> String {
    match values {
        [one] => float(*one),
        many => float_array(many),
    }
}

/// `v` as a Python float literal (`1.0`, not `1`: BrainPy insists on a float step, and arrays
/// of whole numbers would otherwise be integer arrays).
fn float(v: f64) -> String {
    let text = number(v);
    if text.contains(['.', 'e', 'E']) {
        text
    } else {
        text + ".0"
    }
}

/// A NumPy array of floats.
fn float_array(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|v| float(*v)).collect();
    format!("np.array([{}])", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use brainplay_sim::parse_model;

    /// A model's free text cannot end a comment or a docstring and start code (a share link
    /// can carry edited equations, and the learner runs the script).
    #[test]
    fn free_text_stays_text() {
        let source = "model m\ntitle \"x\\N{y} \\\" \"x\"\nreference \"r\\\"\nparam a = 1 m/V in [0, 2] \"a\rimport os\" \"a\"\nstate V = 0 mV \"v\u{b}print(1)\" \"v\"\ndV/dt = -V + a\n";
        let model = parse_model(source).expect("the model parses");
        let setup = Setup::default();
        let panels = [Panel {
            title: "it's \\ \"quoted\"\r\nimport os".into(),
            vars: vec!["V".into()],
        }];
        let script = brainpy_script(&Export {
            model: &model,
            setup: &setup,
            duration_ms: 1.0,
            panels: &panels,
            origin: "o\rimport os",
            sweep: None,
        })
        .unwrap();
        assert!(!script.contains(['\r', '\u{b}']), "{script}");
        assert!(
            !script
                .lines()
                .any(|l| l.trim_start().starts_with("import os")
                    || l.trim_start().starts_with("print(1)")),
            "{script}"
        );
        for escaped in [
            "x\\\\N{y} \\\\,",
            "r\\\\\n",
            "'it\\'s \\\\ \\\"quoted\\\"  import os'",
        ] {
            assert!(script.contains(escaped), "no `{escaped}` in {script}");
        }
    }
}
