"""Phase timings of the SDMLP training step at 10000 units in PyTorch (pairs with SdmlpStepProfile.java)."""
import time, torch
torch.set_num_threads(2); torch.manual_seed(1)
N=10000
w=torch.rand(N,784)*0.03; w/=w.norm(dim=1,keepdim=True); w.requires_grad_()
v=(torch.rand(10,N)*0.01).requires_grad_()
counts=torch.zeros(N); opt=torch.optim.SGD([w,v],lr=0.03,momentum=0.9)
x=torch.rand(128,784); y=torch.randint(0,10,(128,))
tf=tu=tc=0
for it in range(40):
    t0=time.perf_counter()
    q=torch.relu(x); q=q/q.norm(dim=1,keepdim=True).clamp_min(1e-12)
    h=torch.relu(q@w.t()); thr=h.detach().topk(11,dim=1,sorted=False).values.min(dim=1,keepdim=True).values
    gamma=(-1+2*counts/30000).clamp(-1,1); out=torch.relu(h-gamma*thr); counts.add_((out.detach()>0).float().sum(0))
    loss=torch.nn.functional.cross_entropy(out@v.t(),y); opt.zero_grad(); loss.backward(); loss.item()
    t1=time.perf_counter()
    torch.nn.utils.clip_grad_norm_([w,v],1.0); opt.step()
    t2=time.perf_counter()
    with torch.no_grad():
        w.clamp_(min=0); v.clamp_(min=0); w.div_(w.norm(dim=1,keepdim=True).clamp_min(1e-12))
    t3=time.perf_counter()
    if it>=10: tf+=t1-t0; tu+=t2-t1; tc+=t3-t2
print("per step: forward+backward %.1f ms, clip+update %.1f ms, constraints %.1f ms" % (tf/30*1e3, tu/30*1e3, tc/30*1e3))
