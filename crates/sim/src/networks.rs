//! The course's networks as `NetworkSetup`s, built from the library's models, with the
//! parameters a lesson's sliders may set.

use crate::{msg, Message};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use crate::cann::{ring_distance, CannParams, Variant, RING_NEURONS};
use crate::connect::Rule;
use crate::decision::Trial;
use crate::input::InputSpec;
use crate::ir::{Method, Model, Param, Span};
use crate::library;
use crate::network::{Group, NetworkSetup, Projection, Source};
use crate::simulation::Setup;

/// A parameter of a built-in network, as a slider shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetworkParam {
    pub name: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
    pub description_en: &'static str,
    pub description_zh: &'static str,
}

/// The built-in networks' ids: lesson 9's spiking network, lesson 10's decision network,
/// lesson 11's ring attractor, lesson 12's echo state network, lesson 13's trained RNNs and
/// lesson 14's neural codes and trained spiking networks; lesson 2's integrator comparison and
/// lesson 3's passive cable.
pub const IDS: [&str; 12] = [
    COBA,
    DECISION,
    RING,
    ESN,
    RTRL,
    RATE_RNN,
    CODING,
    SNN_RANDOM,
    SNN_DIGITS,
    GIF,
    CONVERGENCE,
    CABLE,
];

pub const COBA: &str = "coba_ei";
pub const DECISION: &str = "decision";
pub const RING: &str = "cann";
pub const ESN: &str = "esn";
pub const RTRL: &str = "rtrl";
pub const RATE_RNN: &str = "rate_rnn";
pub const CODING: &str = "coding";
pub const SNN_RANDOM: &str = "snn_random";
pub const SNN_DIGITS: &str = "snn_digits";
pub const GIF: &str = "gif_course";
pub const CONVERGENCE: &str = "convergence";
pub const CABLE: &str = "cable";

/// How a built-in network is simulated, which decides the figures it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Populations and projections (`crate::network`), with an input added to every neuron.
    Spiking,
    /// Wang's decision network (`crate::decision`), its stimulus set by its parameters.
    Decision,
    /// The rate ring (`crate::cann`), its stimulus set by its parameters.
    Ring,
    /// An echo state network trained on the Mackey–Glass series (`brainplay_learn::esn`); this
    /// crate only holds its parameters.
    Reservoir,
    /// The course's scalar RNN trained by RTRL (`brainplay_learn::rtrl`); parameters only here.
    Rtrl,
    /// A rate RNN trained by BPTT on a decision task (`brainplay_learn::rate_rnn`); parameters
    /// only here.
    RateRnn,
    /// Neural codes of an image or a series (`brainplay_learn::coding`); parameters only here.
    Coding,
    /// A spiking network trained by surrogate gradients (`brainplay_learn::snn`), on random
    /// spike trains or on digits; parameters only here.
    Snn,
    /// The course-modified GIF neuron of the working-memory network (`brainplay_learn::gif`);
    /// parameters only here.
    Gif,
    /// The integrators' errors on one HH neuron against the time step (lesson 2).
    Convergence,
    /// A passive cable charging from an injected current (lesson 3, `crate::cable`).
    Cable,
}

/// The kind of built-in network `id`.
pub fn kind(id: &str) -> Option<Kind> {
    match id {
        COBA => Some(Kind::Spiking),
        DECISION => Some(Kind::Decision),
        RING => Some(Kind::Ring),
        ESN => Some(Kind::Reservoir),
        RTRL => Some(Kind::Rtrl),
        RATE_RNN => Some(Kind::RateRnn),
        CODING => Some(Kind::Coding),
        SNN_RANDOM | SNN_DIGITS => Some(Kind::Snn),
        GIF => Some(Kind::Gif),
        CONVERGENCE => Some(Kind::Convergence),
        CABLE => Some(Kind::Cable),
        _ => None,
    }
}

/// Lesson 9's network: its size as a fraction of the course's, and the conductance one
/// excitatory or inhibitory spike adds.
pub const COBA_PARAMS: [NetworkParam; 3] = [
    NetworkParam {
        name: "scale",
        default: 1.0,
        min: 0.1,
        max: 25.0,
        unit: "1",
        description_en: "network size as a fraction of 3200 E + 800 I (weights scaled by 1/√scale: not in the course); above 2 on the GPU only",
        description_zh: "网络规模（相对于 3200 E + 800 I 的比例；权重按 1/√scale 缩放：课程中没有）；大于 2 时只能在 GPU 上运行",
    },
    NetworkParam {
        name: "g_E",
        default: 0.6,
        min: 0.0,
        max: 2.0,
        unit: "1",
        description_en: "conductance an excitatory spike adds (Δg_E)",
        description_zh: "一个兴奋性脉冲增加的电导（Δg_E）",
    },
    NetworkParam {
        name: "g_I",
        default: 6.7,
        min: 0.0,
        max: 20.0,
        unit: "1",
        description_en: "conductance an inhibitory spike adds (Δg_I)",
        description_zh: "一个抑制性脉冲增加的电导（Δg_I）",
    },
];

/// The parameters of built-in network `id`.
pub fn params(id: &str) -> Option<&'static [NetworkParam]> {
    Some(match id {
        COBA => &COBA_PARAMS,
        DECISION => &DECISION_PARAMS,
        RING => &CANN_PARAMS,
        ESN => &ESN_PARAMS,
        RTRL => &RTRL_PARAMS,
        RATE_RNN => &RATE_RNN_PARAMS,
        CODING => &CODING_PARAMS,
        SNN_RANDOM => &SNN_RANDOM_PARAMS,
        SNN_DIGITS => &SNN_DIGITS_PARAMS,
        GIF => &GIF_PARAMS,
        CONVERGENCE => &CONVERGENCE_PARAMS,
        CABLE => &CABLE_PARAMS,
        _ => return None,
    })
}

/// Built-in network `id` as a model with its parameters and nothing else (no states or
/// equations), so that settings, sliders and share links treat a network's parameters as they
/// treat a model's.
pub fn param_model(id: &str) -> Option<Model> {
    let params = params(id)?
        .iter()
        .map(|p| Param {
            name: p.name.to_string(),
            default: p.default,
            unit: p.unit.to_string(),
            min: p.min,
            max: p.max,
            description_en: p.description_en.to_string(),
            description_zh: p.description_zh.to_string(),
            span: Span::default(),
        })
        .collect();
    Some(Model {
        id: id.to_string(),
        title_en: id.to_string(),
        title_zh: id.to_string(),
        reference: String::new(),
        brainpy: String::new(),
        method: Method::ExpEuler,
        input: None,
        params,
        states: Vec::new(),
        helpers: Vec::new(),
        helper_order: Vec::new(),
        derivatives: Vec::new(),
        spike: None,
        resets: Vec::new(),
        refractory: None,
        on_spike: Vec::new(),
        on_spike_before: false,
        on_post_spike: Vec::new(),
        output: None,
        post: Vec::new(),
        leading: Vec::new(),
        source: String::new(),
    })
}

/// The value of each parameter of network `id`: its override, else its default. Unknown names
/// and non-finite values are errors.
pub fn values<'a>(
    id: &str,
    overrides: &'a [(String, f64)],
) -> Result<impl Fn(&str) -> f64 + 'a, Message> {
    let known = params(id).ok_or_else(|| msg!("unknown network `{id}`", "未知的网络 `{id}`"))?;
    let default = move |name: &str| known.iter().find(|p| p.name == name).map(|p| p.default);
    for (name, v) in overrides {
        if default(name).is_none() {
            let names: Vec<_> = known.iter().map(|p| format!("`{}`", p.name)).collect();
            return Err(Message::new(
                format!(
                    "{id} has no parameter `{name}`; it has {}",
                    names.join(", ")
                ),
                format!("{id} 没有参数 `{name}`；它的参数是 {}", names.join("、")),
            ));
        }
        if !v.is_finite() {
            return Err(msg!(
                "`{name}` = {v} is not a finite number",
                "`{name}` = {v} 不是有限的数"
            ));
        }
    }
    Ok(move |name: &str| {
        overrides
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
            .or_else(|| default(name))
            .expect("a known parameter")
    })
}

/// A network parameter, written compactly.
const fn param(
    name: &'static str,
    default: f64,
    (min, max): (f64, f64),
    unit: &'static str,
    (description_en, description_zh): (&'static str, &'static str),
) -> NetworkParam {
    NetworkParam {
        name,
        default,
        min,
        max,
        unit,
        description_en,
        description_zh,
    }
}

/// Lesson 11's ring attractor (`crate::cann`, the course's `CANN1D` defaults) and its
/// stimulus: on from `stim_on` to `stim_off` ms at `stim_position`, moving at `stim_speed`
/// between `move_from` and `move_to` ms. `m` > 0 adds adaptation, `G` > 0 short-term
/// plasticity (facilitation time constant 1 ms, as in the course).
pub const CANN_PARAMS: [NetworkParam; 16] = [
    param(
        "k",
        8.1,
        (0.0, 20.0),
        "1",
        ("global inhibition", "全局抑制强度"),
    ),
    param(
        "J0",
        4.0,
        (0.0, 20.0),
        "1",
        ("recurrent excitation", "循环兴奋强度"),
    ),
    param(
        "a",
        0.5,
        (0.1, 2.0),
        "rad",
        (
            "width of the connections and the stimulus",
            "连接与刺激的宽度",
        ),
    ),
    param(
        "tau",
        1.0,
        (0.1, 10.0),
        "ms",
        ("time constant of u", "u 的时间常数"),
    ),
    param(
        "A",
        10.0,
        (0.0, 50.0),
        "1",
        ("stimulus strength", "刺激强度"),
    ),
    param(
        "stim_position",
        0.0,
        (-std::f64::consts::PI, std::f64::consts::PI),
        "rad",
        ("where the stimulus starts", "刺激的起始位置"),
    ),
    param(
        "stim_on",
        0.0,
        (0.0, 10000.0),
        "ms",
        ("when the stimulus comes on", "刺激开始的时刻"),
    ),
    param(
        "stim_off",
        1e9,
        (0.0, 1e9),
        "ms",
        ("when it goes off", "刺激结束的时刻"),
    ),
    param(
        "stim_speed",
        0.0,
        (-1.0, 1.0),
        "rad/ms",
        ("how fast it moves", "刺激移动的速度"),
    ),
    param(
        "move_from",
        0.0,
        (0.0, 10000.0),
        "ms",
        ("when it starts moving", "开始移动的时刻"),
    ),
    param(
        "move_to",
        1e9,
        (0.0, 1e9),
        "ms",
        ("when it stops moving", "停止移动的时刻"),
    ),
    param(
        "noise",
        0.0,
        (0.0, 2.0),
        "1",
        (
            "s.d. of the noise added to every neuron every step",
            "每一步加到每个神经元上的噪声标准差",
        ),
    ),
    param(
        "m",
        0.0,
        (0.0, 20.0),
        "1",
        ("adaptation strength (0: none)", "适应强度（0：无适应）"),
    ),
    param(
        "tau_v",
        10.0,
        (1.0, 100.0),
        "ms",
        ("adaptation time constant", "适应时间常数"),
    ),
    param(
        "G",
        0.0,
        (0.0, 1.0),
        "1",
        (
            "baseline release probability of STP (0: no STP)",
            "短时程可塑性的基础释放概率（0：无）",
        ),
    ),
    param(
        "tau_d",
        30.0,
        (1.0, 2000.0),
        "ms",
        ("depression recovery time constant", "压抑恢复时间常数"),
    ),
];

/// Lesson 12's echo state network and its task (curriculum §12.3): the reservoir, the ridge
/// penalty, and the Mackey–Glass series sampled every `step` time units (the course: 0.1; 1 is
/// ten times faster) with the lengths of warm-up, training and test in time units.
pub const ESN_PARAMS: [NetworkParam; 11] = [
    param(
        "units",
        100.0,
        (10.0, 1000.0),
        "1",
        ("reservoir units", "储备池单元数"),
    ),
    param(
        "sr",
        1.0,
        (-10.0, 10.0),
        "1",
        (
            "spectral radius of the recurrent weights",
            "循环权重的谱半径",
        ),
    ),
    param("leak", 0.3, (0.001, 1.0), "1", ("leaking rate", "泄漏率")),
    param(
        "input_scale",
        0.2,
        (0.0, 10.0),
        "1",
        (
            "input weights are uniform on [0, input_scale]",
            "输入权重在 [0, input_scale] 上均匀分布",
        ),
    ),
    param(
        "alpha",
        1e-6,
        (0.0, 1.0),
        "1",
        ("ridge penalty α of the readout", "读出层的岭回归惩罚 α"),
    ),
    param(
        "forecast",
        1.0,
        (0.1, 50.0),
        "time units",
        ("how far ahead the readout predicts", "读出层预测的提前量"),
    ),
    param(
        "step",
        1.0,
        (0.1, 10.0),
        "time units",
        (
            "sampling interval of the series (the course: 0.1)",
            "序列的采样间隔（课程中为 0.1）",
        ),
    ),
    param(
        "warmup",
        100.0,
        (0.0, 5000.0),
        "time units",
        ("warm-up before training", "训练前的预热时长"),
    ),
    param(
        "train",
        20000.0,
        (10.0, 50000.0),
        "time units",
        ("training length", "训练时长"),
    ),
    param(
        "test",
        4000.0,
        (10.0, 20000.0),
        "time units",
        ("test length", "测试时长"),
    ),
    param(
        "tau",
        17.0,
        (1.0, 40.0),
        "time units",
        (
            "delay τ of the Mackey–Glass equation",
            "Mackey–Glass 方程的延迟 τ",
        ),
    ),
];

/// Lesson 13's scalar RNN (curriculum §13.2): its starting parameters, the learning rate, the
/// epochs, and how the sensitivities are advanced (0: as the notebook, with the updated r;
/// 1: exactly, with the r before the step).
pub const RTRL_PARAMS: [NetworkParam; 5] = [
    param("eta", 0.1, (0.0, 1.0), "1", ("learning rate η", "学习率 η")),
    param("epochs", 10.0, (1.0, 200.0), "1", ("epochs", "训练轮数")),
    param("w", 1.0, (-2.0, 3.0), "1", ("initial w", "w 的初值")),
    param("b", 1.0, (-2.0, 3.0), "1", ("initial b", "b 的初值")),
    param(
        "exact",
        0.0,
        (0.0, 1.0),
        "1",
        (
            "sensitivities: 0 as the notebook (updated r), 1 exact (previous r)",
            "敏感度：0 为笔记本的写法（更新后的 r），1 为精确写法（更新前的 r）",
        ),
    ),
];

/// Lesson 13's rate RNN and its decision task (20 ms per step; fixation 100 ms, stimulus
/// 500 ms, then the delay and a 200 ms response).
pub const RATE_RNN_PARAMS: [NetworkParam; 8] = [
    param(
        "units",
        64.0,
        (2.0, 256.0),
        "1",
        ("recurrent units", "循环单元数"),
    ),
    param(
        "lr",
        0.003,
        (0.0001, 0.1),
        "1",
        ("Adam's learning rate", "Adam 的学习率"),
    ),
    param(
        "iterations",
        300.0,
        (1.0, 3000.0),
        "1",
        ("training iterations", "训练迭代次数"),
    ),
    param(
        "batch",
        32.0,
        (1.0, 256.0),
        "1",
        ("trials per iteration", "每次迭代的试次数"),
    ),
    param(
        "noise",
        0.25,
        (0.0, 2.0),
        "1",
        (
            "noise of each evidence stream per step",
            "每个证据流每步的噪声",
        ),
    ),
    param(
        "delay",
        200.0,
        (0.0, 1000.0),
        "ms",
        (
            "delay between stimulus and response",
            "刺激与反应之间的延迟",
        ),
    ),
    param(
        "alpha",
        0.2,
        (0.01, 1.0),
        "1",
        ("dt/τ of the units", "单元的 dt/τ"),
    ),
    param(
        "gain",
        1.0,
        (0.0, 3.0),
        "1",
        (
            "scale of the initial recurrent weights",
            "初始循环权重的尺度",
        ),
    ),
];

/// Lesson 2's convergence figure: the HH neuron under a constant current `I` (µA/cm²) for
/// `duration` ms, by each integrator at a range of time steps, against a fine RK4 run.
pub const CONVERGENCE_PARAMS: [NetworkParam; 2] = [
    param(
        "I",
        1.0,
        (0.0, 20.0),
        "µA/cm²",
        ("constant input current", "恒定输入电流"),
    ),
    param(
        "duration",
        20.0,
        (1.0, 50.0),
        "ms",
        ("run length", "运行时长"),
    ),
];

/// Lesson 3's passive cable (`crate::cable`): its length constant and membrane time constant,
/// the current injected at one end and the axial resistance per length, which together set
/// V_ss(0) = λ r_a I₀ (10 mV at the defaults).
pub const CABLE_PARAMS: [NetworkParam; 4] = [
    param(
        "lambda",
        1.0,
        (0.2, 2.0),
        "mm",
        ("length constant λ", "长度常数 λ"),
    ),
    param(
        "tau",
        10.0,
        (1.0, 50.0),
        "ms",
        ("membrane time constant τ", "膜时间常数 τ"),
    ),
    param(
        "I0",
        0.1,
        (0.0, 1.0),
        "nA",
        ("current injected at x = 0", "在 x = 0 处注入的电流"),
    ),
    param(
        "r_a",
        100.0,
        (10.0, 1000.0),
        "MΩ/mm",
        ("axial resistance per length", "单位长度的轴向电阻"),
    ),
];

/// Lesson 14's GIF neuron (curriculum §14.4; V_rest 0, threshold 1, R 1, τ 20 ms), with a
/// constant input current `I`, its internal currents' jumps and time constants, run for
/// `duration` ms at dt = 1 ms. The defaults are the course's "excitatory" neuron; its
/// "inhibitory" one has A1 = 8, τ_I2 = 1000 ms and I = 2.
pub const GIF_PARAMS: [NetworkParam; 6] = [
    param(
        "I",
        3.0,
        (0.0, 10.0),
        "1",
        ("constant input current", "恒定输入电流"),
    ),
    param(
        "A1",
        0.0,
        (-10.0, 20.0),
        "1",
        ("I1 after a spike", "发放后的 I1"),
    ),
    param(
        "A2",
        -0.6,
        (-5.0, 5.0),
        "1",
        ("jump of I2 at a spike", "发放时 I2 的跳变"),
    ),
    param(
        "tau_I1",
        10.0,
        (1.0, 100.0),
        "ms",
        ("time constant of I1", "I1 的时间常数"),
    ),
    param(
        "tau_I2",
        2000.0,
        (10.0, 5000.0),
        "ms",
        ("time constant of I2", "I2 的时间常数"),
    ),
    param(
        "duration",
        10000.0,
        (100.0, 100000.0),
        "ms",
        ("run length", "运行时长"),
    ),
];

/// Lesson 14's neural codes (curriculum §14.2): `code` 0 is rate coding (Poisson, with its
/// `gain`), 1 latency coding (`method` 0 linear, 1 log; `tau`, `threshold`, `normalize`,
/// `clip`), 2 delta modulation of the notebook's series (`threshold`, `off_spike`); an image of
/// the digit `digit` (the course codes a 6) coded over `n_time` ms at `dt`.
pub const CODING_PARAMS: [NetworkParam; 11] = [
    param(
        "code",
        0.0,
        (0.0, 2.0),
        "1",
        (
            "0 rate (Poisson), 1 latency, 2 delta",
            "0 频率（泊松），1 潜伏期，2 增量",
        ),
    ),
    param(
        "digit",
        6.0,
        (0.0, 9.0),
        "1",
        ("which digit (an image of it)", "哪一个数字（它的一张图像）"),
    ),
    param("gain", 1.0, (0.0, 1.0), "1", ("Poisson gain", "泊松增益")),
    param(
        "method",
        1.0,
        (0.0, 1.0),
        "1",
        ("latency: 0 linear, 1 log", "潜伏期：0 线性，1 对数"),
    ),
    param(
        "tau",
        1.0,
        (0.1, 100.0),
        "ms",
        ("latency time constant τ", "潜伏期时间常数 τ"),
    ),
    param("threshold", 0.1, (0.0, 10.0), "1", ("threshold", "阈值")),
    param(
        "normalize",
        1.0,
        (0.0, 1.0),
        "1",
        (
            "latency: 1 window = n_time, 0 window = τ",
            "潜伏期：1 窗口为 n_time，0 窗口为 τ",
        ),
    ),
    param(
        "clip",
        0.0,
        (0.0, 1.0),
        "1",
        (
            "latency: 1 silences inputs below the threshold",
            "潜伏期：1 使低于阈值的输入沉默",
        ),
    ),
    param(
        "off_spike",
        1.0,
        (0.0, 1.0),
        "1",
        (
            "delta: 1 also spikes (−1) on falls",
            "增量：1 在下降时也发放（−1）",
        ),
    ),
    param(
        "n_time",
        5.0,
        (0.1, 100.0),
        "ms",
        ("coding window", "编码时长"),
    ),
    param("dt", 0.1, (0.01, 1.0), "ms", ("time step", "时间步长")),
];

/// Lesson 14's spiking network on the course's random task (§14.3a): 100 inputs firing at
/// `rate` Hz for 500 ms, `samples` samples with random labels, `units` recurrent LIF units.
pub const SNN_RANDOM_PARAMS: [NetworkParam; 6] = [
    param(
        "units",
        16.0,
        (1.0, 64.0),
        "1",
        ("recurrent LIF units", "循环 LIF 单元数"),
    ),
    param(
        "samples",
        100.0,
        (2.0, 512.0),
        "1",
        ("samples to memorise", "要记住的样本数"),
    ),
    param(
        "iterations",
        1000.0,
        (1.0, 5000.0),
        "1",
        ("training iterations", "训练迭代次数"),
    ),
    param(
        "lr",
        0.002,
        (0.0001, 0.1),
        "1",
        ("Adam's learning rate", "Adam 的学习率"),
    ),
    param(
        "rate",
        5.0,
        (0.5, 50.0),
        "Hz",
        ("input firing rate", "输入发放率"),
    ),
    param(
        "scale",
        10.0,
        (0.1, 100.0),
        "1",
        (
            "KaimingNormal scale of the initial weights",
            "初始权重的 KaimingNormal 尺度",
        ),
    ),
];

/// Lesson 14's spiking network on the shipped digits (§14.3b at browser scale): 64 pixels
/// latency-coded over 20 steps (`tau`, `threshold`), `units` recurrent LIF units, 10 outputs,
/// trained for `epochs` over the first 800 images in batches of `batch`, tested on the other 200.
pub const SNN_DIGITS_PARAMS: [NetworkParam; 7] = [
    param(
        "units",
        100.0,
        (1.0, 256.0),
        "1",
        ("recurrent LIF units", "循环 LIF 单元数"),
    ),
    param(
        "epochs",
        10.0,
        (1.0, 100.0),
        "1",
        ("passes over the training images", "遍历训练图像的轮数"),
    ),
    param(
        "batch",
        50.0,
        (1.0, 500.0),
        "1",
        ("images per iteration", "每次迭代的图像数"),
    ),
    param(
        "lr",
        0.002,
        (0.0001, 0.1),
        "1",
        ("Adam's learning rate", "Adam 的学习率"),
    ),
    param(
        "tau",
        20.0,
        (1.0, 100.0),
        "ms",
        (
            "latency code's τ (= the 20 steps)",
            "潜伏期编码的 τ（= 20 步）",
        ),
    ),
    param(
        "threshold",
        0.2,
        (0.0, 0.99),
        "1",
        ("latency code's threshold", "潜伏期编码的阈值"),
    ),
    param(
        "scale",
        10.0,
        (0.1, 100.0),
        "1",
        (
            "KaimingNormal scale of the initial weights",
            "初始权重的 KaimingNormal 尺度",
        ),
    ),
];

/// Lesson 10's decision network and its trial (`crate::decision::Trial`; its defaults are the
/// course's trial at c = 25.6 %).
pub const DECISION_PARAMS: [NetworkParam; 9] = [
    param(
        "coherence",
        25.6,
        (-100.0, 100.0),
        "%",
        (
            "motion coherence c: A's stimulus μ0 (1 + c/100), B's μ0 (1 − c/100)",
            "运动相干度 c：A 的刺激 μ0 (1 + c/100)，B 的 μ0 (1 − c/100)",
        ),
    ),
    param(
        "mu0",
        40.0,
        (0.0, 100.0),
        "Hz",
        ("mean stimulus rate μ0", "平均刺激频率 μ0"),
    ),
    param(
        "stim_sd",
        10.0,
        (0.0, 40.0),
        "Hz",
        (
            "s.d. of the stimulus rate, redrawn every 50 ms",
            "刺激频率的标准差（每 50 ms 重新抽取）",
        ),
    ),
    param(
        "stim_on",
        100.0,
        (0.0, 10000.0),
        "ms",
        ("when the stimulus comes on", "刺激开始的时刻"),
    ),
    param(
        "stim_off",
        1100.0,
        (0.0, 10000.0),
        "ms",
        ("when it goes off", "刺激结束的时刻"),
    ),
    param(
        "w_plus",
        1.7,
        (1.0, 2.5),
        "1",
        (
            "recurrent weight within a selective pool (w+)",
            "选择性群体内部的循环权重（w+）",
        ),
    ),
    param(
        "background",
        2400.0,
        (0.0, 5000.0),
        "Hz",
        (
            "background Poisson rate onto every neuron",
            "每个神经元接收的背景泊松输入频率",
        ),
    ),
    param(
        "f",
        0.15,
        (0.05, 0.45),
        "1",
        (
            "fraction of the excitatory neurons in each selective pool",
            "每个选择性群体占兴奋性神经元的比例",
        ),
    ),
    param(
        "scale",
        1.0,
        (0.25, 2.0),
        "1",
        (
            "network size relative to 1600 E + 400 I (recurrent conductances divided by it, as the course's `scale`)",
            "网络规模（相对于 1600 E + 400 I；循环电导除以它，即课程中的 `scale`）",
        ),
    ),
];

/// Lesson 10's trial with parameter overrides (names from `DECISION_PARAMS`).
pub fn decision(overrides: &[(String, f64)]) -> Result<Trial, Message> {
    let get = values(DECISION, overrides)?;
    Ok(Trial {
        scale: get("scale"),
        f: get("f"),
        w_plus: get("w_plus"),
        coherence_pct: get("coherence"),
        mu0_hz: get("mu0"),
        stim_sd_hz: get("stim_sd"),
        stim_on_ms: get("stim_on"),
        stim_off_ms: get("stim_off"),
        background_hz: get("background"),
    })
}

/// Facilitation time constant of the ring's STP (the course's τ_f = 1 ms, not a slider).
const RING_TAU_F_MS: f64 = 1.0;

/// Lesson 11's ring with its stimulus, as a lesson's parameters set it up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ring {
    pub params: CannParams,
    pub amplitude: f64,
    pub noise_sd: f64,
    pub stim_position: f64,
    pub stim_on_ms: f64,
    pub stim_off_ms: f64,
    pub stim_speed: f64,
    pub move_from_ms: f64,
    pub move_to_ms: f64,
}

impl Ring {
    /// Where the stimulus is at `t_ms` (wrapped onto the ring), or `None` while it is off.
    pub fn stimulus_at(&self, t_ms: f64) -> Option<f64> {
        if !(self.stim_on_ms..self.stim_off_ms).contains(&t_ms) {
            return None;
        }
        let moving = t_ms.clamp(self.move_from_ms, self.move_to_ms.max(self.move_from_ms))
            - self.move_from_ms;
        Some(ring_distance(self.stim_position + self.stim_speed * moving))
    }
}

/// The input a ring receives step by step: its stimulus and, with `noise` > 0, normal noise on
/// every neuron every step, seeded.
pub struct RingDrive {
    ring: Ring,
    rng: ChaCha8Rng,
    noise: Option<Normal<f64>>,
}

impl RingDrive {
    pub fn new(ring: Ring, seed: u64) -> Result<RingDrive, Message> {
        let sd = ring.noise_sd;
        let noise = (sd > 0.0)
            .then(|| {
                Normal::new(0.0, sd).map_err(|_| {
                    msg!(
                        "the noise s.d. {sd} is not a finite number",
                        "噪声标准差 {sd} 不是有限的数"
                    )
                })
            })
            .transpose()?;
        Ok(RingDrive {
            ring,
            rng: ChaCha8Rng::seed_from_u64(seed),
            noise,
        })
    }

    /// The input at `t_ms` for the neurons at `x` into `out`; the stimulus' position, if on.
    pub fn fill(&mut self, t_ms: f64, x: &[f64], out: &mut [f64]) -> Option<f64> {
        let at = self.ring.stimulus_at(t_ms);
        match at {
            Some(position) => {
                for (o, &xi) in out.iter_mut().zip(x) {
                    let d = ring_distance(xi - position) / self.ring.params.a;
                    *o = self.ring.amplitude * (-0.25 * d * d).exp();
                }
            }
            None => out.fill(0.0),
        }
        if let Some(noise) = &self.noise {
            for o in out.iter_mut() {
                *o += noise.sample(&mut self.rng);
            }
        }
        at
    }
}

/// The ring with parameter overrides (names from `CANN_PARAMS`).
pub fn ring(overrides: &[(String, f64)]) -> Result<Ring, Message> {
    let get = values(RING, overrides)?;
    let variant = match (get("m") > 0.0, get("G") > 0.0) {
        (true, true) => {
            return Err(msg!(
                "choose adaptation (m > 0) or STP (G > 0), not both",
                "请在适应（m > 0）和短时程可塑性（G > 0）之间选一个，不能两者都要"
            ))
        }
        (true, false) => Variant::Adaptation {
            m: get("m"),
            tau_v_ms: get("tau_v"),
        },
        (false, true) => Variant::Plasticity {
            tau_f_ms: RING_TAU_F_MS,
            tau_d_ms: get("tau_d"),
            g_base: get("G"),
        },
        (false, false) => Variant::Basic,
    };
    Ok(Ring {
        params: CannParams {
            n: RING_NEURONS,
            tau_ms: get("tau"),
            k: get("k"),
            a: get("a"),
            j0: get("J0"),
            variant,
        },
        amplitude: get("A"),
        noise_sd: get("noise"),
        stim_position: get("stim_position"),
        stim_on_ms: get("stim_on"),
        stim_off_ms: get("stim_off"),
        stim_speed: get("stim_speed"),
        move_from_ms: get("move_from"),
        move_to_ms: get("move_to"),
    })
}

/// Built-in network `id` with parameter overrides (names from `params(id)`), `input` added to
/// every neuron, and `seed` for its connections and initial state.
pub fn build(
    id: &str,
    overrides: &[(String, f64)],
    input: Option<InputSpec>,
    seed: u64,
) -> Result<NetworkSetup, Message> {
    let get = values(id, overrides)?;
    if kind(id) != Some(Kind::Spiking) {
        return Err(msg!(
            "`{id}` is not a spiking network; built-in ones: {COBA}",
            "`{id}` 不是脉冲神经网络；内置的有：{COBA}"
        ));
    }
    let coba = Coba {
        scale: get("scale"),
        g_e: get("g_E"),
        g_i: get("g_I"),
    };
    let scale = coba.scale;
    if scale <= 0.0 {
        return Err(msg!(
            "scale must be positive, got {scale}",
            "scale 必须为正，实际是 {scale}"
        ));
    }
    Ok(coba_ei(&coba, input, seed))
}

/// Lesson 9's network at a size and with spike conductances (`COBA_PARAMS`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coba {
    /// 1: the course's 3200 + 800 neurons.
    pub scale: f64,
    pub g_e: f64,
    pub g_i: f64,
}

impl Default for Coba {
    fn default() -> Self {
        Coba {
            scale: 1.0,
            g_e: 0.6,
            g_i: 6.7,
        }
    }
}

/// The excitatory neuron whose inputs lesson 9 plots (the course's index 170).
pub const BALANCE_NEURON: usize = 170;

/// The E/I balanced network of lesson 9 (Vogels & Abbott 2005 as in the course's answer
/// notebook, curriculum §9.2): excitatory and inhibitory LIF neurons in the ratio 4 : 1 (τ 20
/// ms, V_rest −60, V_th −50, V_reset −60 mV, 5 ms refractory, V₀ ~ N(−55, 2) mV), exponential
/// COBA synapses (E: τ 5 ms, E_syn 0 mV; I: τ 10 ms, E_syn −80 mV), each neuron connected to 2 %
/// of each population (fixed out-degree), `input` added to every neuron, dt 0.1 ms, BrainPy's
/// order (projections, then groups). Projections `EE`, `EI`, `IE`, `II` (from, to); groups `E`
/// and `I`. At `scale` s the populations have s times the course's 3200 + 800 neurons and the
/// spike conductances are divided by √s, so that the input a neuron's K ∝ s connections bring
/// keeps its balance (K J stays of order √K): not in the course.
pub fn coba_ei(coba: &Coba, input: Option<InputSpec>, seed: u64) -> NetworkSetup {
    let n_e = ((3200.0 * coba.scale).round() as usize).max(1);
    let n_i = ((800.0 * coba.scale).round() as usize).max(1);
    let weight = 1.0 / coba.scale.sqrt();
    let lif = library::get("lif").expect("the library has lif");
    let expon = library::get("expon").expect("the library has expon");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let v0 = Normal::new(-55.0, 2.0).expect("a valid normal distribution");
    let mut population = |name: &str, n: usize, k: u64| {
        let init: Vec<f64> = (0..n).map(|_| v0.sample(&mut rng)).collect();
        let setup = Setup {
            n,
            params: [
                ("tau", 20.0),
                ("V_rest", -60.0),
                ("V_th", -50.0),
                ("V_reset", -60.0),
                ("tau_ref", 5.0),
                ("R", 1.0),
            ]
            .iter()
            .map(|&(p, v)| (p.to_string(), vec![v]))
            .collect(),
            init: vec![("V".into(), init)],
            input: input.clone(),
            ..Setup::default()
        };
        Group {
            name: name.into(),
            source: Source::Neurons {
                model: Box::new(lif.clone()),
                setup: Box::new(setup),
            },
            seed: seed.wrapping_add(k),
        }
    };
    let groups = vec![population("E", n_e, 1), population("I", n_i, 2)];
    let projection = |pre: &str, post: &str, g_max: f64, tau: f64, e: f64| Projection {
        pre: pre.into(),
        post: post.into(),
        params: [("g_max", g_max), ("tau", tau), ("E", e)]
            .iter()
            .map(|&(p, v)| (p.to_string(), vec![v]))
            .collect(),
        ..Projection::new(
            &format!("{pre}{post}"),
            expon.clone(),
            Rule::FixedProb { p: 0.02 },
        )
    };
    let projections = vec![
        projection("E", "E", coba.g_e * weight, 5.0, 0.0),
        projection("E", "I", coba.g_e * weight, 5.0, 0.0),
        projection("I", "E", coba.g_i * weight, 10.0, -80.0),
        projection("I", "I", coba.g_i * weight, 10.0, -80.0),
    ];
    NetworkSetup {
        order: NetworkSetup::projections_first(groups.len(), projections.len()),
        groups,
        projections,
        dt_ms: 0.1,
        seed,
        record_stride: 1,
    }
}
