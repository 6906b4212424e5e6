//! The four integrators as specifications (curriculum §0.2, docs/model-language.md "Semantics of
//! one step"):
//!
//! * convergence order: the global error at a fixed end time T, measured at dt, dt/2 and dt/4
//!   against a closed-form solution, falls like dt^p with p = 1 (euler), 2 (rk2), 4 (rk4);
//!   exponential Euler is first order on coupled systems (each equation is linearised in its own
//!   variable only, the others held at their old values) and on the rotation, but second order
//!   on a scalar autonomous ODE (there L = f'(x) is the exact Jacobian, which makes it the
//!   exponential Rosenbrock–Euler method: x + h f + h²/2 f' f + h³/6 f'² f matches the Taylor
//!   series of the solution through h²);
//! * exponential Euler is exact on linear equations with constant (or piecewise-constant, changing
//!   only at step boundaries) coefficients, for any dt;
//! * `Setup.method` overrides the model's method;
//! * runs are deterministic bit for bit.

use brainplay_sim::input::InputSpec;
use brainplay_sim::{parse_model, Method, Model, Setup, Simulation};

/// A model from the body of a model file (everything after `model <id>`).
fn model(body: &str) -> Model {
    let text = format!("model t\n{body}");
    parse_model(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// `param <name> = <value>` with a range wide enough never to warn.
fn param(name: &str, value: f64) -> String {
    format!("param {name} = {value} 1 in [-1e9, 1e9] \"{name}\" \"{name}\"\n")
}

fn state(name: &str, init: f64) -> String {
    format!("state {name} = {init} 1 \"{name}\" \"{name}\"\n")
}

/// Runs one neuron for `steps` steps of `dt` with `method` and returns the final state.
fn final_state(model: &Model, method: Method, dt: f64, steps: usize) -> Vec<f64> {
    let setup = Setup {
        dt_ms: dt,
        method: Some(method),
        ..Setup::default()
    };
    let mut sim = Simulation::new(model, &setup).unwrap();
    assert!(sim.advance(steps), "{:?}", sim.output().error);
    assert_eq!(sim.steps_done(), steps);
    (0..model.states.len()).map(|i| sim.state(i)[0]).collect()
}

// ---------------------------------------------------------------------------------------------
// Convergence order

/// An initial-value problem with a closed-form solution.
struct Problem {
    name: &'static str,
    /// Model body; the states' initial values are the problem's x(0).
    body: String,
    /// The exact state at time t.
    exact: fn(f64) -> Vec<f64>,
    /// End time (ms).
    t_end: f64,
}

fn logistic() -> Problem {
    // dx/dt = x (1 - x), x(0) = 0.1: x(t) = 1 / (1 + (1/x0 - 1) e^{-t}).
    Problem {
        name: "logistic dx/dt = x(1-x)",
        body: state("x", 0.1) + "dx/dt = x * (1 - x)\n",
        exact: |t| vec![1.0 / (1.0 + 9.0 * (-t).exp())],
        t_end: 4.0,
    }
}

fn cubic_decay() -> Problem {
    // dx/dt = -x^3, x(0) = 1: x(t) = 1 / sqrt(1 + 2 t).
    Problem {
        name: "dx/dt = -x^3",
        body: state("x", 1.0) + "dx/dt = -x^3\n",
        exact: |t| vec![1.0 / (1.0 + 2.0 * t).sqrt()],
        t_end: 2.0,
    }
}

fn rotation() -> Problem {
    // dx/dt = -y, dy/dt = x, (x, y)(0) = (1, 0): (cos t, sin t).
    Problem {
        name: "rotation dx/dt = -y, dy/dt = x",
        body: state("x", 1.0) + &state("y", 0.0) + "dx/dt = -y\ndy/dt = x\n",
        exact: |t| vec![t.cos(), t.sin()],
        t_end: 2.0,
    }
}

fn coupled_nonlinear() -> Problem {
    // dx/dt = -x + y^2, dy/dt = -y, (x, y)(0) = (0.5, 1):
    // y = e^{-t}, x = (x0 + y0^2) e^{-t} - y0^2 e^{-2t}. Nonlinear and coupled: exponential Euler
    // holds y at its old value in the x equation, which costs it an order.
    Problem {
        name: "dx/dt = -x + y^2, dy/dt = -y",
        body: state("x", 0.5) + &state("y", 1.0) + "dx/dt = -x + y^2\ndy/dt = -y\n",
        exact: |t| vec![1.5 * (-t).exp() - (-2.0 * t).exp(), (-t).exp()],
        t_end: 2.0,
    }
}

/// Global error (Euclidean norm over the states) at `t_end` with `steps` steps.
fn global_error(problem: &Problem, model: &Model, method: Method, steps: usize) -> f64 {
    let dt = problem.t_end / steps as f64;
    let got = final_state(model, method, dt, steps);
    let want = (problem.exact)(problem.t_end);
    got.iter()
        .zip(&want)
        .map(|(g, w)| (g - w).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// The observed order log2(e(dt)/e(dt/2)) for dt → dt/2 and dt/2 → dt/4, where dt = t_end/steps,
/// must each lie within ±0.3 of `order`. ±0.3 leaves room for the next term of the error
/// expansion (a relative contribution of O(dt) to the error at these step sizes, chosen so
/// that it is a few percent) while still separating consecutive orders by a wide margin.
fn check_order(problem: &Problem, method: Method, steps: usize, order: f64) {
    let m = model(&problem.body);
    let errors: Vec<f64> = [1, 2, 4]
        .iter()
        .map(|k| global_error(problem, &m, method, steps * k))
        .collect();
    // The errors must stay far above double rounding (about 1e-16 per step, at most 1e-13 over
    // the at most 800 steps used here) for the ratio to mean anything.
    assert!(
        errors[2] > 1e-12,
        "{} {}: errors {errors:?} too small to measure an order; use a larger dt",
        problem.name,
        method.name()
    );
    let orders: Vec<f64> = errors.windows(2).map(|w| (w[0] / w[1]).log2()).collect();
    eprintln!(
        "{} with {}: errors {errors:?}, observed orders {orders:.3?}",
        problem.name,
        method.name()
    );
    for w in errors.windows(2) {
        let observed = (w[0] / w[1]).log2();
        assert!(
            (observed - order).abs() <= 0.3,
            "{} with {}: observed order {observed:.3}, expected {order} (errors at dt = {}, {}/2, {}/4: {errors:?})",
            problem.name,
            method.name(),
            problem.t_end / steps as f64,
            problem.t_end / steps as f64,
            problem.t_end / steps as f64,
        );
    }
}

#[test]
fn convergence_order() {
    use Method::*;
    // (problem, method, steps at the coarsest dt, expected order)
    let cases: Vec<(Problem, Method, usize, f64)> = vec![
        (logistic(), Euler, 200, 1.0),
        (logistic(), Rk2, 100, 2.0),
        (logistic(), Rk4, 20, 4.0),
        // Scalar autonomous: L = f'(x) exactly, exponential Rosenbrock–Euler, second order.
        (logistic(), ExpEuler, 50, 2.0),
        (cubic_decay(), Euler, 200, 1.0),
        (cubic_decay(), Rk2, 100, 2.0),
        // At 20 steps the h^4 error term of this problem is nearly cancelled by the h^5 term
        // (errors 4.0e-9, 3.4e-9 at 20, 40 steps; an independent RK4 gives the same digits):
        // start in the asymptotic range.
        (cubic_decay(), Rk4, 80, 4.0),
        (cubic_decay(), ExpEuler, 50, 2.0),
        (rotation(), Euler, 200, 1.0),
        (rotation(), Rk2, 100, 2.0),
        (rotation(), Rk4, 20, 4.0),
        // Each equation's own derivative is 0 here, so exponential Euler is forward Euler.
        (rotation(), ExpEuler, 200, 1.0),
        (coupled_nonlinear(), Euler, 200, 1.0),
        (coupled_nonlinear(), Rk2, 100, 2.0),
        (coupled_nonlinear(), Rk4, 20, 4.0),
        // Jacobi-style linearisation (y held in the x equation): first order.
        (coupled_nonlinear(), ExpEuler, 200, 1.0),
    ];
    for (problem, method, steps, order) in &cases {
        check_order(problem, *method, *steps, *order);
    }
}

#[test]
fn exponential_euler_is_not_second_order_on_a_coupled_system() {
    // The counterpart of the scalar case above: on the coupled problem the error ratio of
    // exponential Euler stays near 2 (first order) and does not approach 4. Tolerance: the
    // ratio must be below 2.6, i.e. an observed order below 1.4, far from 2.
    let p = coupled_nonlinear();
    let m = model(&p.body);
    let e1 = global_error(&p, &m, Method::ExpEuler, 400);
    let e2 = global_error(&p, &m, Method::ExpEuler, 800);
    assert!(e1 / e2 < 2.6, "ratio {}", e1 / e2);
}

// ---------------------------------------------------------------------------------------------
// Exponential Euler is exact on linear equations

/// Records every state at every step and compares sample i (the state after step i, time
/// (i + 1) dt) with `exact`, relative to max(1, |exact|), to `1e-12`: exponential Euler's update
/// is the exact propagator; what remains is rounding (a few ulps per step, damped by the
/// contraction e^{-b dt} of each step, so it does not grow with the number of steps).
fn check_exact(
    label: &str,
    model: &Model,
    setup: &Setup,
    steps: usize,
    exact: impl Fn(f64) -> Vec<f64>,
) {
    let names: Vec<String> = model.states.iter().map(|s| s.name.clone()).collect();
    let setup = Setup {
        record: names.clone(),
        method: Some(Method::ExpEuler),
        ..setup.clone()
    };
    let mut sim = Simulation::new(model, &setup).unwrap();
    assert!(sim.advance(steps));
    let out = sim.output();
    assert_eq!(out.t_ms.len(), steps, "{label}: one sample per step");
    let mut worst = (0.0f64, 0usize, "");
    for i in 0..steps {
        let t = (i + 1) as f64 * setup.dt_ms;
        let want = exact(t);
        for (k, name) in names.iter().enumerate() {
            let got = out.trace(name, 0).unwrap()[i];
            let rel = (got - want[k]).abs() / want[k].abs().max(1.0);
            if rel > worst.0 {
                worst = (rel, i, name);
            }
        }
    }
    assert!(
        worst.0 <= 1e-12,
        "{label}: relative error {:e} in `{}` at sample {} (t = {} ms)",
        worst.0,
        worst.2,
        worst.1,
        (worst.1 + 1) as f64 * setup.dt_ms
    );
}

#[test]
fn exponential_euler_exact_on_linear_scalar() {
    // dx/dt = a - b x: x(t) = a/b + (x0 - a/b) e^{-b t}; tau = 1/b = 2 ms.
    let m = model(&(param("a", 3.0) + &param("b", 0.5) + &state("x", 10.0) + "dx/dt = a - b*x\n"));
    let exact = |t: f64| vec![6.0 + 4.0 * (-0.5 * t).exp()];
    // dt from small to five time constants (5 tau = 10 ms).
    for (dt, steps) in [(0.01, 2000), (0.1, 200), (1.0, 30), (4.0, 10), (10.0, 8)] {
        let setup = Setup {
            dt_ms: dt,
            ..Setup::default()
        };
        check_exact(
            &format!("dx/dt = a - b x, dt = {dt}"),
            &m,
            &setup,
            steps,
            exact,
        );
    }
    // Growth (b < 0) is exact too: x = a/b + (x0 - a/b) e^{0.1 t}, a/b = -10.
    let m = model(&(param("a", 1.0) + &param("b", -0.1) + &state("x", 1.0) + "dx/dt = a - b*x\n"));
    let setup = Setup {
        dt_ms: 0.5,
        ..Setup::default()
    };
    check_exact("dx/dt = a - b x, b < 0", &m, &setup, 100, |t| {
        vec![-10.0 + 11.0 * (0.1 * t).exp()]
    });
}

#[test]
fn exponential_euler_exact_on_lif_membrane_with_sectioned_input() {
    // dV/dt = (-(V - V_rest) + R I)/tau with I piecewise constant via an input protocol that adds
    // to the parameter I: I = 0 for 10 ms, 30 for 20 ms, -10 for 15 ms, then 0. No threshold.
    let (v_rest, r, tau, v0) = (-65.0, 2.0, 10.0, -70.0);
    let body = param("V_rest", v_rest)
        + &param("R", r)
        + &param("tau", tau)
        + &param("I", 0.0)
        + "input I\n"
        + &state("V", v0)
        + "dV/dt = (-(V - V_rest) + R*I) / tau\n";
    let m = model(&body);
    let sections = [
        (0.0, 10.0),
        (30.0, 20.0),
        (-10.0, 15.0),
        (0.0, f64::INFINITY),
    ];
    let exact = move |t: f64| {
        // Closed form section by section.
        let (mut v, mut start) = (v0, 0.0);
        for &(i, len) in &sections {
            let end = (start + len).min(t);
            let v_inf = v_rest + r * i;
            v = v_inf + (v - v_inf) * (-(end - start) / tau).exp();
            if t <= start + len {
                break;
            }
            start += len;
        }
        vec![v]
    };
    for (dt, steps) in [(0.1, 600), (0.5, 120), (2.5, 24), (5.0, 12)] {
        let setup = Setup {
            dt_ms: dt,
            input: Some(
                InputSpec::parse("sections(values=[0, 30, -10], durations=[10, 20, 15])").unwrap(),
            ),
            ..Setup::default()
        };
        check_exact(
            &format!("LIF membrane with sections, dt = {dt}"),
            &m,
            &setup,
            steps,
            exact,
        );
    }
}

#[test]
fn exponential_euler_exact_on_decoupled_linear_2d() {
    // Two independent linear equations in one model: each is integrated exactly.
    let body = param("a", 2.0)
        + &state("x", 1.0)
        + &state("y", -3.0)
        + "dx/dt = a - 0.25*x\ndy/dt = -(y - 4) / 7\n";
    let m = model(&body);
    let exact = |t: f64| vec![8.0 - 7.0 * (-0.25 * t).exp(), 4.0 - 7.0 * (-t / 7.0).exp()];
    for (dt, steps) in [(0.1, 500), (3.0, 20), (35.0, 4)] {
        let setup = Setup {
            dt_ms: dt,
            ..Setup::default()
        };
        check_exact(
            &format!("decoupled 2-D, dt = {dt}"),
            &m,
            &setup,
            steps,
            exact,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Method override and determinism

#[test]
fn setup_method_overrides_the_model_method() {
    // The model says rk4; each override must give exactly what that method gives when the model
    // itself names it (same program, so bit-identical), and the four must differ from each other.
    let body =
        |method: &str| format!("method {method}\n") + &state("x", 0.1) + "dx/dt = x * (1 - x)\n";
    let (dt, steps) = (0.25, 16);
    let mut finals = Vec::new();
    for method in Method::ALL {
        let declared = model(&body(method.name()));
        let setup = Setup {
            dt_ms: dt,
            ..Setup::default()
        };
        let mut sim = Simulation::new(&declared, &setup).unwrap();
        sim.advance(steps);
        let by_model = sim.state(0)[0];
        let overridden = final_state(&model(&body("rk4")), method, dt, steps);
        assert_eq!(
            by_model.to_bits(),
            overridden[0].to_bits(),
            "{}: declared {by_model} vs override {}",
            method.name(),
            overridden[0]
        );
        finals.push(by_model);
    }
    for i in 0..finals.len() {
        for j in i + 1..finals.len() {
            assert_ne!(
                finals[i], finals[j],
                "methods {i} and {j} agree: {finals:?}"
            );
        }
    }
    // Without an override the model's own method is used.
    let setup = Setup {
        dt_ms: dt,
        method: None,
        ..Setup::default()
    };
    let mut sim = Simulation::new(&model(&body("euler")), &setup).unwrap();
    sim.advance(steps);
    assert_eq!(sim.state(0)[0].to_bits(), finals[0].to_bits());
}

#[test]
fn runs_are_deterministic() {
    // Two runs of every method on a nonlinear coupled model with a time-varying input and
    // per-neuron parameters produce bit-identical outputs.
    let body = param("I", 0.0)
        + "input I\n"
        + &param("k", 1.0)
        + &state("x", 0.3)
        + &state("y", -0.2)
        + "dx/dt = x - x^3/3 - y + I\ndy/dt = (x + 0.7 - 0.8*y) * k / 12.5\n";
    let m = model(&body);
    for method in Method::ALL {
        let setup = Setup {
            n: 3,
            dt_ms: 0.05,
            method: Some(method),
            params: vec![("k".into(), vec![0.5, 1.0, 2.0])],
            input: Some(InputSpec::parse("sine(amp=0.5, freq=20, offset=0.6)").unwrap()),
            record: vec!["x".into(), "y".into()],
            ..Setup::default()
        };
        let a = Simulation::run(&m, &setup, 200.0).unwrap();
        let b = Simulation::run(&m, &setup, 200.0).unwrap();
        assert!(a.error.is_none());
        assert_eq!(a.t_ms, b.t_ms);
        assert!(
            a.trace_bits() == b.trace_bits(),
            "{}: two runs differ",
            method.name()
        );
    }
}
