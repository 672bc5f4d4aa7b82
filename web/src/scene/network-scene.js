// The 3D network view: builds the scene from a model summary, shows frames (an input and its
// activations) stage by stage, renders on demand, and answers picking and statistics.
// It knows Three.js and nothing about Pyodide or the page's DOM: it runs in the render worker
// (render-worker.js) or, where that is impossible, on the main thread (local-view.js).

import * as THREE from "../../vendor/three/three.module.js";
import { BY_WEIGHT } from "../constants.js";
import { CameraRig } from "./camera-rig.js";
import { ConnectionField } from "./connections.js";
import { FramePacer } from "./frame-pacing.js";
import { InputPlane } from "./input-plane.js";
import { computeLayout, layerOf, NEURON_RADIUS, OUTPUT_SCALE } from "./layout.js";
import { Markers } from "./markers.js";
import { NeuronField } from "./neuron-field.js";
import { HEX } from "./palette.js";
import { pickNearest, toScreen } from "./picking.js";
import { Propagation } from "./propagation.js";

const MAX_PIXEL_RATIO = 2;
const GLOW_GAIN = 0.8;
const UPDATE_HISTORY = 400;

/**
 * A frame is one input as the scene shows it:
 * @typedef {{pixels: Float32Array|null, result: object|null, connections: object[]|null,
 *   mode: string}} Frame (mode: one of CONNECTION_MODES)
 */

export class NetworkScene {
  /**
   * Runs on the main thread (an HTMLCanvasElement) or in a worker (an OffscreenCanvas).
   * @param {{canvas: HTMLCanvasElement|OffscreenCanvas, controlsElement: EventTarget,
   *   size: {width: number, height: number, pixelRatio: number}, software?: boolean,
   *   onRender?: (scene: NetworkScene) => void}} options
   *   `controlsElement` receives the pointer and wheel events (the canvas, or a stand-in in a
   *   worker); `onRender` runs after each rendered frame; `software` (a CPU rasteriser) turns
   *   off multisampling, caps the pixel ratio at 1 (which halves the frame time there), draws
   *   coarser spheres and paces the frames (frame-pacing.js), so that drawing stays responsive
   */
  constructor({ canvas, controlsElement, size, software = false, onRender = () => {} }) {
    this.onRender = onRender;
    this.maxPixelRatio = software ? 1 : MAX_PIXEL_RATIO;
    // A CPU rasteriser shares the machine's cores with the page and the runtime (frame-pacing.js):
    // the scene takes at most a third of the time, so that the probabilities reach the screen
    // fast (paired in bench_input on 2 cores: input → painted 23.2 → 19.2 ms against a half).
    this.pacing = software ? new FramePacer({ idleFactor: 2 }) : null;
    this.renderer = new THREE.WebGLRenderer({
      canvas,
      antialias: !software,
      powerPreference: "high-performance",
    });
    this.renderer.setClearColor(HEX.background);
    this.canvas = canvas;

    this.scene = new THREE.Scene();
    this.scene.add(new THREE.AmbientLight(0xffffff, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.8);
    sun.position.set(-1, 2, 1.5);
    this.scene.add(sun);
    this.network = new THREE.Group();
    this.scene.add(this.network);
    this.markers = new Markers();
    this.scene.add(this.markers.group);
    this.rig = new CameraRig(controlsElement, () => {
      this.viewMoved = true; // the person moves the camera: its frames are never held back
      this.requestRender();
    });
    this.userMoved = false;
    this.rig.controls.addEventListener("start", () => (this.userMoved = true));

    this.options = { threshold: 0, animate: true };
    this.layout = null;
    this.builds = 0; // how many times a network was built (not counting same-shape swaps)
    this.frameRequested = false;
    this.frames = 0;
    this.drawCalls = 0;
    this.updateTimes = []; // the latest update durations (ms)
    this.updateCount = 0;
    this.lastGlow = [];
    this.renderFrame = this.renderFrame.bind(this);
    canvas.addEventListener("webglcontextlost", (event) => event.preventDefault());
    canvas.addEventListener("webglcontextrestored", () => this.repaint());
    this.resize(size);
  }

  /** Build the network of `summary` (any architecture); the previous one is disposed. */
  setModel(summary) {
    this.clearModel();
    const layout = computeLayout(summary);
    this.layout = layout;
    this.summary = summary;
    const [input, ...rest] = layout.layers;
    this.inputPlane = new InputPlane(input);
    this.neurons = new NeuronField(rest, { lowDetail: Boolean(this.pacing) });
    this.connections = new ConnectionField(
      rest.map((layer) => ({ sources: layout.layers[layer.index - 1].positions, targets: layer.positions })),
    );
    this.network.add(this.inputPlane.mesh, this.neurons.mesh, this.connections.lines);
    this.propagation = new Propagation(layout.layers.length);
    this.propagation.enabled = this.options.animate;
    this.stageValues = layout.layers.map(() => null);
    this.lastGlow = layout.layers.map(() => 0);
    this.pickTargets = buildPickTargets(rest);
    this.selection = null;
    this.hover = null;
    this.focus = null;
    this.winner = null;
    this.placeMarkers();
    this.rig.fit(layout);
    this.userMoved = false;
    this.builds++;
    this.requestRender();
  }

  /**
   * Swap in another model of the same shape (a timeline snapshot): the objects, the camera
   * and the markers stay; the names shown are refreshed and the frames keep their values
   * until the next input and connections arrive.
   */
  updateModel(summary) {
    if (!this.layout) return this.setModel(summary);
    const fresh = computeLayout(summary);
    fresh.layers.forEach((layer, index) => {
      this.layout.layers[index].name = layer.name;
      this.layout.layers[index].activation = layer.activation;
    });
    this.summary = summary;
    this.requestRender();
  }

  clearModel() {
    if (!this.layout) return;
    this.network.clear();
    this.inputPlane.dispose();
    this.neurons.dispose();
    this.connections.dispose();
    this.layout = null;
  }

  /** Show a new input: it reaches the layers in sequence when animating, else at once. */
  pushFrame(frame) {
    if (!this.layout) return;
    this.propagation.push(frame, performance.now());
    if (!this.options.animate) this.applyDue(performance.now());
    this.requestRender();
  }

  /** Change {threshold, animate}; the current frames are redrawn. */
  setOptions(options) {
    Object.assign(this.options, options);
    if (!this.layout) return;
    this.propagation.enabled = this.options.animate;
    this.repaint();
  }

  /** Replace the connections of every frame in flight (new N or mode) and redraw. */
  replaceConnections(connections, mode) {
    if (!this.layout) return;
    const frames = new Set([...this.propagation.frames(), ...this.propagation.pending.map((p) => p.frame)]);
    for (const frame of frames) {
      if (!frame) continue;
      frame.connections = connections;
      frame.mode = mode;
    }
    this.repaint();
  }

  /** Redraw every stage from the frame it shows. */
  repaint() {
    if (!this.layout) return;
    const started = performance.now();
    this.propagation.frames().forEach((frame, stage) => {
      if (frame) this.paintStage(stage, frame, 1);
    });
    this.recordUpdate(performance.now() - started);
    this.requestRender();
  }

  /** Release due stages and advance their glow; true while the animation still runs. */
  applyDue(now) {
    const { changed, glow, busy } = this.propagation.tick(now);
    const frames = this.propagation.frames();
    const started = performance.now();
    for (const stage of changed) this.paintStage(stage, frames[stage], 1 + GLOW_GAIN * glow[stage]);
    if (changed.length) this.recordUpdate(performance.now() - started);
    glow.forEach((value, stage) => {
      if (changed.includes(stage) || (value === 0 && this.lastGlow[stage] === 0)) return;
      this.applyGain(stage, frames[stage], 1 + GLOW_GAIN * value);
    });
    this.lastGlow = glow;
    return busy;
  }

  /** Draw stage `stage` (0: input plane; s: layer s and the connections into it). */
  paintStage(stage, frame, gain) {
    if (stage === 0) {
      this.inputPlane.setPixels(frame.pixels, gain);
      return;
    }
    const layer = this.layout.layers[stage];
    const result = frame.result;
    this.stageValues[stage] = result ? neuronValues(layer, result) : null;
    this.neurons.paint(stage, this.stageValues[stage], gain);
    const top = frame.connections?.[stage - 1];
    if (top) {
      const byInput = frame.mode === BY_WEIGHT && result && !result.blank;
      const inputs = byInput ? (stage === 1 ? frame.pixels : result.activations[stage - 2]) : null;
      this.connections.paint(stage - 1, top, inputs, this.options.threshold);
    } else {
      this.connections.paint(stage - 1, { k: 0, indices: [], values: [] }, null, 0);
    }
    this.connections.setGain(stage - 1, gain);
    if (layer.kind === "output") {
      this.winner = result && !result.blank ? result.top : null;
      this.placeMarkers();
    }
  }

  /** Only the brightness of a stage changes (the glow fading): cheap, no new values. */
  applyGain(stage, frame, gain) {
    if (!frame) return;
    if (stage === 0) {
      this.inputPlane.setPixels(frame.pixels, gain);
      return;
    }
    this.neurons.paint(stage, this.stageValues[stage], gain);
    this.connections.setGain(stage - 1, gain);
  }

  recordUpdate(ms) {
    this.updateCount++;
    this.updateTimes.push(ms);
    if (this.updateTimes.length > UPDATE_HISTORY) this.updateTimes.shift();
  }

  /** Select (ring) a neuron {layer, index}, or nothing with null. */
  setSelection(selection) {
    this.selection = selection;
    this.placeMarkers();
    this.requestRender();
  }

  /** Show the keyboard cursor's ring on a neuron {layer, index}, or hide it with null. */
  setFocus(focus) {
    if (sameNeuron(focus, this.focus)) return;
    this.focus = focus;
    this.placeMarkers();
    this.requestRender();
  }

  /** Ring the hovered neuron {layer, index}, or nothing with null. */
  setHover(hover) {
    if (sameNeuron(hover, this.hover)) return;
    this.hover = hover;
    this.placeMarkers();
    this.requestRender();
  }

  placeMarkers() {
    const at = (neuron) => {
      const layer = layerOf(this.layout, neuron);
      if (!layer) return null;
      const p = layer.positions;
      return [p[3 * neuron.index], p[3 * neuron.index + 1], p[3 * neuron.index + 2]];
    };
    const radius = (neuron) =>
      layerOf(this.layout, neuron)?.kind === "output" ? NEURON_RADIUS * OUTPUT_SCALE : NEURON_RADIUS;
    const last = this.layout ? this.layout.layers.length - 1 : 0;
    const winner = this.winner === null ? null : { layer: last, index: this.winner };
    this.markers.place(this.markers.winner, at(winner), radius(winner));
    this.markers.place(this.markers.selected, at(this.selection), radius(this.selection));
    const hover = sameNeuron(this.hover, this.selection) ? null : this.hover;
    this.markers.place(this.markers.hover, at(hover), radius(hover));
    this.markers.place(this.markers.focus, at(this.focus), radius(this.focus));
  }

  /** The neuron under canvas point (x, y) in CSS pixels: {layer, index} or null. */
  pick(x, y) {
    if (!this.layout) return null;
    const { width, height } = this.size;
    const found = pickNearest(this.pickTargets, this.rig.camera, x, y, width, height);
    return found < 0 ? null : this.pickTargets.neurons[found];
  }

  /** Screen positions and radii (CSS pixels, relative to the canvas) of the output neurons. */
  outputPositions() {
    return this.layout ? this.screenPositions(this.layout.layers.length - 1) : [];
  }

  /** Screen positions and radii (CSS pixels, relative to the canvas) of layer `index`. */
  screenPositions(index) {
    const layer = this.layout.layers[index];
    return Array.from({ length: layer.width }, (_, i) => this.screenPosition(layer, i));
  }

  /**
   * The screen position and radius (CSS pixels) of `neuron` {layer, index}: null without a
   * model or when this network has no such neuron (one asked about before a rebuild).
   */
  position(neuron) {
    const layer = layerOf(this.layout, neuron);
    return layer ? this.screenPosition(layer, neuron.index) : null;
  }

  /** {x, y, visible, radius} of neuron `i` of `layer` on the canvas. */
  screenPosition(layer, i) {
    const { width, height } = this.size;
    const camera = this.rig.camera;
    const focal = height / 2 / Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2);
    const radius = layer.kind === "output" ? NEURON_RADIUS * OUTPUT_SCALE : NEURON_RADIUS;
    const world = new THREE.Vector3().fromArray(layer.positions, 3 * i);
    const screen = toScreen(camera, world.x, world.y, world.z, width, height);
    screen.radius = (radius * focal) / Math.max(camera.position.distanceTo(world), 1e-6);
    return screen;
  }

  resetView() {
    this.rig.reset();
    this.userMoved = false;
    this.requestRender();
  }

  /** The drawing buffer follows the view's size {width, height} (CSS pixels) and pixel ratio. */
  resize({ width, height, pixelRatio = 1 }) {
    this.size = { width: Math.max(1, width), height: Math.max(1, height) };
    this.renderer.setPixelRatio(Math.min(pixelRatio, this.maxPixelRatio));
    this.renderer.setSize(this.size.width, this.size.height, false);
    this.rig.setAspect(this.size.width / this.size.height);
    if (this.layout && !this.userMoved) this.rig.reset();
    this.requestRender();
  }

  /** Render on demand: at most one frame per animation frame, none while idle. */
  requestRender() {
    if (this.frameRequested) return;
    this.frameRequested = true;
    nextFrame(this.renderFrame);
  }

  renderFrame() {
    if (this.pacing && !this.viewMoved && this.pacing.hold(performance.now())) {
      nextFrame(this.renderFrame);
      return;
    }
    this.frameRequested = false;
    this.viewMoved = false;
    const moving = this.rig.update();
    const busy = this.layout ? this.applyDue(performance.now()) : false;
    this.markers.face(this.rig.camera, this.size.height);
    this.pacing?.rendering(performance.now());
    this.renderer.render(this.scene, this.rig.camera);
    this.frames++;
    this.drawCalls = this.renderer.info.render.calls;
    if (moving || busy) this.requestRender(); // first, so `stats().animating` tells
    this.pacing?.rendered(moving || busy);
    this.onRender(this);
  }

  /** Counters for tests and benchmarks. */
  stats() {
    const architecture = this.summary?.architecture ?? [];
    const { camera, controls } = this.rig;
    return {
      webgl: true,
      ready: Boolean(this.layout),
      drawCalls: this.drawCalls,
      connections: this.layout ? this.connections.drawn : 0,
      connectionsPerLayer: this.layout ? this.connections.drawnPerLayer : [],
      neurons: architecture.reduce((sum, width) => sum + width, 0),
      frames: this.frames,
      updates: this.updateCount,
      updateMs: [...this.updateTimes],
      pixelRatio: this.renderer.getPixelRatio(),
      animating: this.frameRequested,
      builds: this.builds,
      camera: { position: camera.position.toArray(), target: controls.target.toArray() },
      focus: this.focus ? { ...this.focus } : null,
      winner: this.winner, // the output index ringed in gold (null: none)
    };
  }
}

/** Activations of `layer` normalised to [-1, 1]: outputs show probabilities (none when blank). */
function neuronValues(layer, result) {
  if (layer.kind === "output") return result.blank ? null : result.probabilities;
  const values = result.activations[layer.index - 1];
  let maxAbs = 0;
  for (const value of values) maxAbs = Math.max(maxAbs, Math.abs(value));
  const scaled = new Float32Array(values.length);
  if (maxAbs > 1e-9) for (let i = 0; i < values.length; i++) scaled[i] = values[i] / maxAbs;
  return scaled;
}

function buildPickTargets(layers) {
  const count = layers.reduce((sum, layer) => sum + layer.width, 0);
  const positions = new Float32Array(count * 3);
  const radii = new Float32Array(count);
  const neurons = [];
  for (const layer of layers) {
    const radius = layer.kind === "output" ? NEURON_RADIUS * OUTPUT_SCALE : NEURON_RADIUS;
    positions.set(layer.positions, neurons.length * 3);
    radii.fill(radius, neurons.length, neurons.length + layer.width);
    for (let i = 0; i < layer.width; i++) neurons.push({ layer: layer.index, index: i });
  }
  return { positions, radii, neurons };
}

/** requestAnimationFrame where there is one (windows, Chromium and Firefox workers). */
function nextFrame(callback) {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(callback);
  else setTimeout(() => callback(performance.now()), 16);
}

function sameNeuron(a, b) {
  return a === b || (a && b && a.layer === b.layer && a.index === b.index);
}
