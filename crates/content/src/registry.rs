//! The lesson files of `lessons/`: their catalog (compiled into the site), their parsed
//! content (compiled into the CLI and the tests; the site fetches each file when its page
//! opens), and the course map of all 14 slots.

use std::sync::OnceLock;

use crate::content::Lesson;
use crate::text::Text;

/// What the course map and the page links need of one lesson file, without its content: the
/// site keeps this in its first load and fetches `lessons/{file}` when the page opens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CatalogEntry {
    pub number: u32,
    pub slug: &'static str,
    /// The file's name in `lessons/`, also its path under the site's root.
    pub file: &'static str,
    /// English, Chinese.
    pub title: [&'static str; 2],
    pub summary: [&'static str; 2],
    pub exercises: usize,
}

impl CatalogEntry {
    pub fn title(&self) -> Text {
        Text::new(self.title[0], self.title[1])
    }

    pub fn summary(&self) -> Text {
        Text::new(self.summary[0], self.summary[1])
    }

    /// The binary form of the file that the site ships and a lesson page fetches (see
    /// `Lesson::data_of`).
    pub fn data_file(&self) -> String {
        format!("{}.bin", self.page_name())
    }

    /// `NN-slug`, the page's name in links.
    pub fn page_name(&self) -> String {
        format!("{:02}-{}", self.number, self.slug)
    }

    /// The lesson by any of the names links and the CLI use: `3`, `03`, `03-hodgkin-huxley`
    /// or `hodgkin-huxley`.
    fn is_named(&self, name: &str) -> bool {
        match name.parse::<u32>() {
            Ok(number) => number == self.number,
            Err(_) => name == self.slug || name == self.page_name(),
        }
    }
}

// `CATALOG` and `SOURCES`, written by build.rs from the files in `lessons/`.
include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The catalog entry of a lesson by any of its names (see [`find`]).
pub fn entry(name: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.is_named(name))
}

/// Every lesson, parsed once. The tests parse and validate every source, so a failure here
/// means a file was changed without running them.
pub fn lessons() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| {
        CATALOG
            .iter()
            .zip(SOURCES)
            .map(|(entry, (_, source))| {
                Lesson::parse(source).unwrap_or_else(|e| {
                    panic!(
                        "lessons/{} does not parse (run cargo test): {e}",
                        entry.file
                    )
                })
            })
            .collect()
    })
}

/// The lesson in course slot `number`.
pub fn lesson(number: u32) -> Option<&'static Lesson> {
    lessons().iter().find(|l| l.number == number)
}

/// A lesson by any of the names links and the CLI use: `3`, `03`, `03-hodgkin-huxley` or
/// `hodgkin-huxley`.
pub fn find(name: &str) -> Option<&'static Lesson> {
    entry(name).and_then(|e| lesson(e.number))
}

/// One slot of the course map.
#[derive(Clone, Debug, PartialEq)]
pub struct CourseEntry {
    pub number: u32,
    pub day: u32,
    /// The page is `/lesson/NN-slug`.
    pub slug: &'static str,
    pub title: Text,
    pub summary: Text,
    /// Auto-checked exercises on the page.
    pub exercises: usize,
    /// Whether the lesson has a page yet.
    pub available: bool,
}

/// The course plan (design brief §1; curriculum lesson headings): number, slug, English and
/// Chinese title, English and Chinese summary. A lesson file's own title and summary take
/// precedence where it exists, so the map shows what the page shows.
const PLAN: [(u32, &str, [&str; 4]); 14] = [
    (1, "introduction", [
        "Introduction to neural computational modeling",
        "神经计算建模简介",
        "Why build models of the brain: Marr's three levels, a short history from LIF to attractor networks, and the tools.",
        "为什么要为大脑建模：Marr 的三个层次、从 LIF 到吸引子网络的简史，以及建模工具。",
    ]),
    (2, "simulation-basics", [
        "Simulation basics",
        "模拟基础",
        "State variables, time steps and integrators: how a simulator advances a model, tried without code.",
        "状态变量、时间步长与积分方法：模拟器如何一步步推进模型，无需编程即可体验。",
    ]),
    (3, "hodgkin-huxley", [
        "The Hodgkin–Huxley model",
        "Hodgkin–Huxley 模型",
        "Ion channels, gating variables and the all-or-none action potential of the squid giant axon.",
        "离子通道、门控变量与枪乌贼巨轴突全或无的动作电位。",
    ]),
    (4, "hh-programming", [
        "Building and probing HH neurons",
        "构建与探究 HH 神经元",
        "Pulse thresholds, repetitive firing and the f–I curve of the HH neuron, found by simulation.",
        "通过模拟探究 HH 神经元的脉冲阈值、重复发放与 f–I 曲线。",
    ]),
    (5, "reduced-models", [
        "Reduced neuron models and dynamical analysis",
        "简化神经元模型与动力学分析",
        "LIF, QIF, ExpIF and AdEx neurons, and how phase planes, fixed points and bifurcations explain them.",
        "LIF、QIF、ExpIF 与 AdEx 神经元，以及用相平面、不动点和分岔来理解它们。",
    ]),
    (6, "reduced-models-practice", [
        "Reduced models in practice",
        "简化模型实践",
        "Firing patterns of AdEx and Izhikevich neurons, f–I curves, and the FitzHugh–Nagumo phase plane.",
        "AdEx 与 Izhikevich 神经元的发放模式、f–I 曲线，以及 FitzHugh–Nagumo 模型的相平面。",
    ]),
    (7, "synapses", [
        "Synapses and synaptic plasticity",
        "突触与突触可塑性",
        "From transmitter release to postsynaptic current: exponential, alpha and kinetic synapses, and short-term plasticity.",
        "从递质释放到突触后电流：指数型、alpha 型与动力学突触，以及短时程可塑性。",
    ]),
    (8, "synapse-programming", [
        "Synapse modeling in practice",
        "突触建模实践",
        "Custom synapses and short-term facilitation and depression driven by spike trains.",
        "自定义突触，以及由脉冲序列驱动的短时程易化与抑制。",
    ]),
    (9, "ei-balance", [
        "Excitation–inhibition balanced network",
        "兴奋-抑制平衡网络",
        "How balanced excitation and inhibition make a network fire irregularly and respond fast.",
        "兴奋与抑制的平衡如何使网络不规则地发放并快速响应。",
    ]),
    (10, "decision-making", [
        "Decision-making networks",
        "决策网络",
        "Two competing populations that accumulate evidence and choose, as spiking and rate models.",
        "两个相互竞争的神经元群累积证据并做出选择：脉冲模型与发放率模型。",
    ]),
    (11, "cann", [
        "Continuous attractor neural networks",
        "连续吸引子神经网络",
        "A ring of neurons holds a bump of activity that stores a value and tracks a moving stimulus.",
        "环形神经网络维持一个活动峰，用来储存信息并跟踪运动的刺激。",
    ]),
    (12, "reservoir-computing", [
        "Reservoir computing",
        "储备池计算",
        "An echo state network with a trained linear readout predicts a chaotic time series.",
        "带有训练读出层的回声状态网络预测混沌时间序列。",
    ]),
    (13, "training-rnns", [
        "Training recurrent neural networks",
        "训练循环神经网络",
        "Training a recurrent network by gradient descent to generate a sequence.",
        "用梯度下降训练循环神经网络生成序列。",
    ]),
    (14, "training-snns", [
        "Training spiking neural networks",
        "训练脉冲神经网络",
        "Neural coding, surrogate gradients, and spiking networks that learn to classify and remember.",
        "神经编码、替代梯度，以及学习分类与记忆的脉冲神经网络。",
    ]),
];

/// All 14 slots in order, with the lesson's own texts where the lesson exists.
pub fn course() -> Vec<CourseEntry> {
    PLAN.iter()
        .map(
            |&(number, slug, [title_en, title_zh, summary_en, summary_zh])| {
                let file = CATALOG.iter().find(|e| e.number == number);
                CourseEntry {
                    number,
                    day: number.div_ceil(2),
                    slug,
                    title: file.map_or_else(|| Text::new(title_en, title_zh), |e| e.title()),
                    summary: file
                        .map_or_else(|| Text::new(summary_en, summary_zh), |e| e.summary()),
                    exercises: file.map_or(0, |e| e.exercises),
                    available: file.is_some(),
                }
            },
        )
        .collect()
}
